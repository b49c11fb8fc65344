namespace ContainerTools.Core.Isolation.Cgroups.V2;

/// <summary>
/// cgroup v2: one unified hierarchy. A controller works in a group only when every ancestor enables it in
/// cgroup.subtree_control, and only controllers the root offers (cgroup.controllers) can be enabled: on a
/// hybrid machine v1 keeps most of them, so what is unavailable is refused by name.
/// </summary>
public sealed class CgroupV2Driver(string mountRoot) : ICgroupDriver
{
    /// <summary>The controllers enabled for container groups when the hierarchy offers them.</summary>
    public static readonly IReadOnlyList<string> Controllers = ["cpu", "cpuset", "io", "memory", "pids"];

    public string Version => "v2";

    public string MountRoot => mountRoot;

    /// <summary>Controllers the hierarchy's root can hand to groups below it.</summary>
    public IReadOnlySet<string> AvailableControllers =>
        ControlFile.Read(Path.Combine(mountRoot, "cgroup.controllers"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <remarks>Device access is not programmed on v2 (that takes an eBPF device program, not implemented).</remarks>
    public ICgroup Create(string relativePath, ResourceLimits limits, bool allDevices = false)
    {
        ResourceLimitsValidator.Validate(limits);
        var settings = CgroupV2Settings.For(limits);
        var available = AvailableControllers;
        foreach (string controller in settings.Select(s => s.Controller).Distinct())
        {
            if (!available.Contains(controller))
                throw new EngineException("CgroupControllerUnavailable", ErrorKind.ResourceUnavailable, relativePath,
                    $"The cgroup v2 hierarchy at {mountRoot} does not offer the {controller} controller (on a hybrid machine cgroup v1 holds it), so its limits cannot be applied.");
        }
        string[] enable = Controllers.Where(available.Contains).ToArray();
        var tree = new CgroupTree(mountRoot, relativePath);
        var created = tree.Create(prepareChild: (parent, _) => Enable(parent, enable));
        try
        {
            var group = new CgroupV2(relativePath, tree);
            group.Apply(settings);
            return group;
        }
        catch
        {
            CgroupTree.RemoveCreated(created);
            throw;
        }
    }

    public bool RenamesGroups => false;

    public ICgroup? Rename(string from, string to, ResourceLimits limits, bool allDevices = false) => null;

    public ICgroup? Open(string relativePath)
    {
        var tree = new CgroupTree(mountRoot, relativePath);
        return tree.Exists ? new CgroupV2(relativePath, tree) : null;
    }

    /// <summary>Turns on in <paramref name="parent"/>'s children the controllers not yet on there.</summary>
    private static void Enable(string parent, string[] controllers)
    {
        string file = Path.Combine(parent, "cgroup.subtree_control");
        var enabled = ControlFile.Read(file).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var missing = controllers.Except(enabled).ToList();
        if (missing.Count > 0)
            ControlFile.Write(file, string.Join(' ', missing.Select(c => "+" + c)));
    }
}
