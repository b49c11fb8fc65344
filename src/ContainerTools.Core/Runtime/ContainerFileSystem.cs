using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A container's root file system for copying and exporting, whether it runs or not, as `docker cp` and
/// `docker export` allow. A running one is reached through its init (<see cref="ContainerRoot"/>). A stopped
/// one gets its overlay (its image's layers and its own upper directory, with its volumes and bind mounts) made
/// as a detached mount: it has no mount point, so nothing else sees it, and it vanishes when its descriptor is
/// closed, even by a kill -9.
/// The container's lock is held while such a mount lives, so a Start cannot mount the same upper directory.
/// </summary>
public sealed class ContainerFileSystem : IDisposable
{
    private readonly LockedContainer? _lock;
    private readonly bool _mountedInUserNamespace;

    private ContainerFileSystem(RootedPath root, ContainerSnapshot container, LockedContainer? held)
    {
        Root = root;
        UserNamespace = container.Record.UserNamespace;
        RootOwner = UserNamespace is { } ids ? ((int)ids.Uids.Start, (int)ids.Gids.Start) : (0, 0);
        _mountedInUserNamespace = container.IsRunning && container.Record.UserNamespace is not null;
        _lock = held;
    }

    /// <summary>The container's "/", every path below it resolved inside it.</summary>
    public RootedPath Root { get; }

    /// <summary>Its host ids when it has a user namespace of its own; null: its ids are the host's.</summary>
    public Isolation.UserNamespaces.ContainerIds? UserNamespace { get; }

    /// <summary>Its root user and group as host ids (the start of its slice with a user namespace of its own).</summary>
    public (int Uid, int Gid) RootOwner { get; }

    /// <summary>
    /// Scopes this thread's creation of entries: a running container's root is mounted in its own user
    /// namespace, which creates files only for ids mapped there, so they are made as its root; a stopped one's
    /// overlay is mounted by the host (its new entries are chowned after).
    /// </summary>
    public ThreadFileSystemIds Creating() =>
        _mountedInUserNamespace ? ThreadFileSystemIds.Become(RootOwner.Uid, RootOwner.Gid) : default;

    /// <param name="writable">Whether files will be written (copy in); a stopped container's overlay is read-only otherwise.</param>
    /// <param name="withMounts">Whether a stopped container's volumes and bind mounts join its overlay (a copy sees them; an export does not).</param>
    public static ContainerFileSystem Open(ContainerStore store, string nameOrId, bool writable, bool withMounts = true)
    {
        var held = store.FindLocked(nameOrId);
        try
        {
            var container = held.Container;
            if (container.IsRunning)
            {
                // Its root is held by its init, not by us: a Stop need not wait for the copy.
                var running = new ContainerFileSystem(ContainerRoot.Open(container), container, held: null);
                held.Dispose();
                return running;
            }
            return new ContainerFileSystem(MountOverlay(store.Paths(container.Id), container, writable, withMounts), container, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Read-only, the upper directory is just the top lower one (overlayfs reads its whiteouts there too), so
    /// nothing is written to it; read-write, it is the upper directory, as when the container runs.
    /// </summary>
    private static RootedPath MountOverlay(ContainerPaths paths, ContainerSnapshot container, bool writable, bool withMounts)
    {
        string name = container.Name;
        var spec = RuntimeSpec.Load(paths.Config);
        // A -ReadOnly root is read-only for a copy too, as when it runs (docker cp refuses it): only its volumes take files.
        writable &= !spec.Root.Readonly;
        if (!spec.Annotations.TryGetValue(SpecAnnotations.OverlayLower, out var lower))
            throw new InvalidDataException($"the runtime configuration of container {name} names no image layers");
        var layers = lower.Split(':', StringSplitOptions.RemoveEmptyEntries);
        using var context = new SafeFileHandle(Errno.Check(Linux.fsopen("overlay"), "fsopen", "overlay"), ownsHandle: true);
        int fd = (int)context.DangerousGetHandle();
        // One layer per "lowerdir+": a single "lowerdir" string is limited to 256 bytes by fsconfig.
        foreach (string layer in writable ? layers : [paths.Upper, .. layers])
            Errno.Check(Linux.fsconfig(fd, "lowerdir+", layer), "fsconfig lowerdir+", layer);
        if (writable)
        {
            Errno.Check(Linux.fsconfig(fd, "upperdir", paths.Upper), "fsconfig upperdir", paths.Upper);
            Errno.Check(Linux.fsconfig(fd, "workdir", paths.Work), "fsconfig workdir", paths.Work);
        }
        Errno.Check(Linux.fsconfig_create(fd), "fsconfig create", paths.Directory);
        int mount = Errno.Check(Linux.fsmount(fd, writable ? 0 : Linux.MOUNT_ATTR_RDONLY), "fsmount", paths.Directory);
        var root = RootedPath.Adopt($"{name}:/", new SafeFileHandle(mount, ownsHandle: true));
        try
        {
            // Volumes and bind mounts join the detached tree and go with it. Mount points the container never
            // made are made here as its start would, by host root: not for a container with a user namespace of
            // its own, whose root could then not use them.
            if (withMounts)
            {
                EtcFiles.Ensure(paths, container.Record);
                RootfsMounts.AttachBinds(root, spec.Mounts, makeTargets: writable && container.Record.UserNamespace is null);
            }
            return root;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // The mount goes with its last descriptor, before the lock lets a Start mount the upper directory.
        Root.Dispose();
        _lock?.Dispose();
    }
}
