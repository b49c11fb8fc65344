using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Isolation;

/// <summary>Builds the container's root: the overlay, then the spec's mounts on targets resolved inside it.</summary>
public static class RootfsMounts
{
    /// <summary>Our mounts must not propagate to the host, nor the host's into the container.</summary>
    public static void MakePrivate() =>
        Errno.Check(Linux.mount(null, "/", null, Linux.MS_REC | Linux.MS_PRIVATE, null), "mount", "/ (make rprivate)");

    /// <summary>Mounts the overlay of the image's layers (read-only, top first) and the container's own upper directory.</summary>
    public static void MountOverlay(RuntimeSpec spec)
    {
        if (!spec.Annotations.TryGetValue(SpecAnnotations.OverlayLower, out var lower))
        {
            // An OCI bundle's rootfs is used as it is, made a mount point so pivot_root accepts it.
            Errno.Check(Linux.mount(spec.Root.Path, spec.Root.Path, null, Linux.MS_BIND | Linux.MS_REC, null), "mount", spec.Root.Path);
            return;
        }
        string data = $"lowerdir={lower},upperdir={spec.Annotations[SpecAnnotations.OverlayUpper]},workdir={spec.Annotations[SpecAnnotations.OverlayWork]}";
        Errno.Check(Linux.mount("overlay", spec.Root.Path, "overlay", 0, data), "mount", spec.Root.Path);
    }

    public static void Apply(int rootFd, IEnumerable<SpecMount> mounts)
    {
        // Propagation options need no step: everything below the rprivate root is private already.
        foreach (var spec in mounts)
        {
            // A "cgroup" mount cannot take the host's v1 hierarchies again (EBUSY): the container gets an
            // empty read-only tmpfs there, as its own groups are managed from outside.
            var mount = spec.Type == "cgroup" ? spec with { Type = "tmpfs", Source = "tmpfs", Options = [.. spec.Options, "mode=755"] } : spec;
            var options = MountOptions.Parse(mount.Options);
            bool bind = options.Bind || mount.Type == "bind";
            bool file = bind && mount.Source is not null && File.Exists(mount.Source);
            ulong flags = options.Flags | (bind ? Linux.MS_BIND : 0) | (options.ReadOnly && !bind ? Linux.MS_RDONLY : 0);
            AtTarget(rootFd, mount.Destination, file, where =>
                Linux.mount(mount.Source, where, bind ? null : mount.Type, flags, bind ? null : options.Data));
            // A bind mount takes read-only only by a remount, on the new mount (so the target is opened again).
            if (bind && options.ReadOnly)
                AtTarget(rootFd, mount.Destination, file, where =>
                    Linux.mount(null, where, null, Linux.MS_REMOUNT | Linux.MS_BIND | Linux.MS_RDONLY | options.Flags, null));
        }
    }

    private static void AtTarget(int rootFd, string destination, bool file, Func<string, int> mount)
    {
        int target = file ? RootPath.OpenFile(rootFd, destination) : RootPath.OpenDirectory(rootFd, destination);
        try
        {
            Errno.Check(mount(RootPath.Magic(target)), "mount", destination);
        }
        finally
        {
            Linux.close(target);
        }
    }
}
