using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Isolation;

/// <summary>Builds the container's root: the overlay, then the spec's mounts on targets resolved inside it.</summary>
public static class RootfsMounts
{
    /// <summary>Our mounts must not propagate to the host, nor the host's into the container.</summary>
    public static void MakePrivate() =>
        Errno.Check(Linux.mount(null, "/", null, Linux.MS_REC | Linux.MS_PRIVATE, null), "mount", "/ (make rprivate)");

    /// <summary>Mounts the overlay of the image's layers (read-only, top first) and the container's own upper directory.</summary>
    /// <param name="idMappedLayers">In a user namespace: attached over the lower directories first (overlay then needs userxattr there).</param>
    public static void MountOverlay(RuntimeSpec spec, IdMappedLowerLayers? idMappedLayers = null)
    {
        if (!spec.Annotations.TryGetValue(SpecAnnotations.OverlayLower, out var lower))
        {
            // An OCI bundle's rootfs is used as it is, made a mount point so pivot_root accepts it.
            Errno.Check(Linux.mount(spec.Root.Path, spec.Root.Path, null, Linux.MS_BIND | Linux.MS_REC, null), "mount", spec.Root.Path);
            return;
        }
        string data = $"lowerdir={lower},upperdir={spec.Annotations[SpecAnnotations.OverlayUpper]},workdir={spec.Annotations[SpecAnnotations.OverlayWork]}";
        if (idMappedLayers is not null)
        {
            idMappedLayers.Attach(SpecAnnotations.LowerDirectories(spec));
            data += ",userxattr";
        }
        Errno.Check(Linux.mount("overlay", spec.Root.Path, "overlay", 0, data), "mount", spec.Root.Path);
    }

    /// <param name="cgroupNamespace">Whether the process has a cgroup namespace of the container's (see <see cref="CgroupFileSystems"/>).</param>
    public static void Apply(RootedPath root, IEnumerable<SpecMount> mounts, bool cgroupNamespace)
    {
        // Propagation options need no step: everything below the rprivate root is private already.
        foreach (var mount in mounts)
        {
            if (mount.Type == "cgroup")
            {
                using var mountPoint = RootPath.OpenDirectory(root, mount.Destination);
                CgroupFileSystems.Mount(root, mountPoint, mount, cgroupNamespace);
                continue;
            }
            var options = MountOptions.Parse(mount.Options);
            bool bind = options.Bind || mount.Type == "bind";
            bool file = bind && mount.Source is not null && File.Exists(mount.Source);
            using var target = OpenTarget(root, mount, bind, file);
            if (bind)
                Bind(mount.Source ?? throw new InvalidDataException($"the bind mount on {mount.Destination} has no source"), target, options, mount.Destination);
            else
                Errno.Check(Linux.mount(mount.Source, RootPath.Magic(target), mount.Type, options.Flags | (options.ReadOnly ? Linux.MS_RDONLY : 0), options.Data),
                    "mount", mount.Destination);
        }
    }

    /// <summary>
    /// The mount point, made when missing. A bind's source and target must be of one kind: said in words, where
    /// the kernel would say EINVAL (a file on a directory) or openat2 ENOTDIR (a directory on a file).
    /// </summary>
    private static SafeFileHandle OpenTarget(RootedPath root, SpecMount mount, bool bind, bool file)
    {
        if (file)
        {
            var target = RootPath.OpenFile(root, mount.Destination);
            if (Linux.Status((int)target.DangerousGetHandle(), mount.Destination).Type != Linux.S_IFDIR)
                return target;
            target.Dispose();
            throw MismatchedBind(mount);
        }
        try
        {
            return RootPath.OpenDirectory(root, mount.Destination);
        }
        catch (NativeCallException e) when (bind && e.Errno == Errno.ENOTDIR)
        {
            throw MismatchedBind(mount);
        }
    }

    private static IOException MismatchedBind(SpecMount mount) =>
        new($"cannot mount {mount.Source} on {mount.Destination}: a file can be mounted only on a file, and a directory only on a directory");

    /// <summary>
    /// The spec's bind mounts (volumes, host paths) on a root made outside the container, so a copy into or
    /// out of a stopped container sees what it sees when it runs, as `docker cp` does. A target the container
    /// never made is made only when writing; the image's content is not copied into an empty volume (that
    /// happens when the container starts).
    /// </summary>
    public static void AttachBinds(RootedPath root, IEnumerable<SpecMount> mounts, bool makeTargets)
    {
        foreach (var mount in mounts)
        {
            var options = MountOptions.Parse(mount.Options);
            if (!(options.Bind || mount.Type == "bind") || mount.Source is null || !Path.Exists(mount.Source))
                continue;
            bool file = File.Exists(mount.Source);
            using var target = makeTargets
                ? (file ? RootPath.OpenFile(root, mount.Destination) : RootPath.OpenDirectory(root, mount.Destination))
                : root.TryOpen(mount.Destination, Linux.O_PATH | (file ? 0 : Linux.O_DIRECTORY));
            if (target is not null)
                Bind(mount.Source, target, options with { Copy = false }, mount.Destination);
        }
    }

    /// <summary>
    /// Clones the source, makes the clone read-only (and nosuid, ...) while it is still detached, and attaches
    /// it on the target descriptor: the mount is never writable inside, and no path is resolved a second time.
    /// </summary>
    internal static void Bind(string source, SafeFileHandle target, MountOptions options, string destination)
    {
        bool recursive = (options.Flags & Linux.MS_REC) != 0;
        if (options.Copy && Directory.Exists(source) && !Directory.EnumerateFileSystemEntries(source).Any())
            ContainerCopy.Read((int)target.DangerousGetHandle(), source);
        using var tree = new SafeFileHandle(Errno.Check(Linux.open_tree(Linux.AT_FDCWD, source,
            Linux.OPEN_TREE_CLONE | Linux.OPEN_TREE_CLOEXEC | (recursive ? Linux.AT_RECURSIVE : 0)), "open_tree", source), ownsHandle: true);
        ulong attributes = (options.ReadOnly ? Linux.MOUNT_ATTR_RDONLY : 0)
            | ((options.Flags & Linux.MS_NOSUID) != 0 ? Linux.MOUNT_ATTR_NOSUID : 0)
            | ((options.Flags & Linux.MS_NODEV) != 0 ? Linux.MOUNT_ATTR_NODEV : 0)
            | ((options.Flags & Linux.MS_NOEXEC) != 0 ? Linux.MOUNT_ATTR_NOEXEC : 0);
        if (attributes != 0)
            Errno.Check(Linux.mount_setattr((int)tree.DangerousGetHandle(), attributes, recursive), "mount_setattr", destination);
        Errno.Check(Linux.move_mount((int)tree.DangerousGetHandle(), (int)target.DangerousGetHandle()), "move_mount", destination);
    }
}
