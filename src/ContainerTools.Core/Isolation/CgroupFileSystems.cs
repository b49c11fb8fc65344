using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.Cgroups.V1;
using ContainerTools.Core.Isolation.Cgroups.V2;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// A spec's "cgroup" mount (/sys/fs/cgroup), as runc and crun make it: the container's own groups, and nothing
/// of the host's other groups, so its limits are where the programs that size themselves by them (JVMs, .NET, Go)
/// look. In a cgroup namespace of its own, made or joined (the engine's containers; ctrun's with one), a cgroup file
/// system mounted again shows that namespace's root (its group, for one it made); in the host's (ctrun without one)
/// its group's directory is bound from the host's hierarchy. v2: on the mount point itself. v1: on a tmpfs, each
/// hierarchy the engine places containers in under the host's name for it (a controller co-mounted with others as
/// a symbolic link to their hierarchy), the tmpfs made read-only with the rest when the mount is.
/// </summary>
internal static class CgroupFileSystems
{
    /// <param name="target">The mount point, opened inside <paramref name="root"/>.</param>
    /// <param name="ownNamespace">Whether this process is in a cgroup namespace of the container's.</param>
    public static void Mount(RootedPath root, SafeFileHandle target, SpecMount spec, bool ownNamespace)
    {
        var options = MountOptions.Parse(spec.Options) with { Copy = false };
        var mounts = CgroupMounts.Read();
        var groups = ownNamespace ? null : GroupMembership.Read("/proc/self/cgroup");
        if (Cgroups.Cgroups.Detect(mounts) is CgroupV2Driver)
        {
            MountGroup(target, "cgroup2", null, mounts.Unified!, groups?[""], options, spec.Destination);
            return;
        }
        Errno.Check(Linux.mount("tmpfs", RootPath.Magic(target), "tmpfs", options.Flags, "mode=755"), "mount", spec.Destination);
        // The descriptor above holds the directory below the tmpfs; the tmpfs is what the path reaches now.
        using var tmpfs = root.Open(spec.Destination, Linux.O_PATH | Linux.O_DIRECTORY);
        int fd = (int)tmpfs.DangerousGetHandle();
        foreach (var (name, controllers, mountPoint) in Hierarchies(mounts))
        {
            string where = spec.Destination.TrimEnd('/') + "/" + name;
            Errno.Check(Linux.mkdirat(fd, name, 0x1ed), "mkdirat", where);
            using var directory = new SafeFileHandle(Errno.Check(Linux.openat(fd, name,
                Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", where), ownsHandle: true);
            MountGroup(directory, "cgroup", string.Join(',', controllers), mountPoint, groups?[controllers[0]], options, where);
            foreach (string controller in controllers.Where(c => c != name))
                Errno.Check(Linux.symlinkat(name, fd, controller), "symlinkat", spec.Destination.TrimEnd('/') + "/" + controller);
        }
        if (options.ReadOnly)
            Errno.Check(Linux.mount(null, RootPath.Magic(tmpfs), null, Linux.MS_REMOUNT | Linux.MS_BIND | Linux.MS_RDONLY | options.Flags, null),
                "mount", spec.Destination + " (read-only)");
    }

    /// <summary>One hierarchy: mounted again in a namespace of the container's (<paramref name="group"/> null), else its group bound from the host's mount.</summary>
    private static void MountGroup(SafeFileHandle target, string type, string? data, string hostMount, string? group, MountOptions options, string where)
    {
        if (group is null)
            Errno.Check(Linux.mount(type, RootPath.Magic(target), type, options.Flags | (options.ReadOnly ? Linux.MS_RDONLY : 0), data), "mount", where);
        else
            RootfsMounts.Bind(hostMount.TrimEnd('/') + group, target, options, where);
    }

    /// <summary>
    /// The v1 hierarchies a container has groups in, each with every controller it carries (mounting one again
    /// takes exactly its set), named as the host names its mount point ("cpu,cpuacct" where they share one).
    /// </summary>
    private static IEnumerable<(string Name, IReadOnlyList<string> Controllers, string MountPoint)> Hierarchies(CgroupMounts mounts) =>
        CgroupV1Driver.Controllers.Where(mounts.V1Controllers.ContainsKey).Select(c => mounts.V1Controllers[c]).Distinct(StringComparer.Ordinal)
            .Select(mountPoint => (Path.GetFileName(mountPoint), (IReadOnlyList<string>)mounts.V1Controllers
                .Where(pair => pair.Value == mountPoint).Select(pair => pair.Key).Order(StringComparer.Ordinal).ToList(), mountPoint));
}
