using ContainerTools.Core.Isolation.Cgroups.V1;
using ContainerTools.Core.Isolation.Cgroups.V2;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>Picks the cgroup driver for what this machine mounts.</summary>
public static class Cgroups
{
    /// <summary>Where containers' groups go, below each hierarchy's root: "containertools/&lt;id&gt;".</summary>
    public const string ContainersParent = "containertools";

    public static string PathFor(string containerId) => ContainersParent + "/" + containerId;

    /// <summary>
    /// v2 when /sys/fs/cgroup is the unified hierarchy (or the only cgroup file system); v1 when controllers
    /// are mounted as v1 hierarchies, as on this hybrid machine where cgroup2 sits empty beside them.
    /// </summary>
    public static ICgroupDriver Detect() => Detect(CgroupMounts.Read());

    public static ICgroupDriver Detect(CgroupMounts mounts)
    {
        if (mounts.Unified is string unified && (unified == "/sys/fs/cgroup" || mounts.V1Controllers.Count == 0))
            return new CgroupV2Driver(unified);
        if (mounts.V1Controllers.Count > 0)
            return new CgroupV1Driver(mounts.V1Controllers);
        throw new EngineException("CgroupsUnavailable", ErrorKind.ResourceUnavailable, null,
            "No cgroup file system is mounted (neither cgroup v1 hierarchies nor cgroup2), so containers cannot be limited or tracked.");
    }
}
