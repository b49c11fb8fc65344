using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// What a process that lives in a container until it execs (an OCI init, an exec's helper) starts from, so the
/// container never reaches the host's file through /proc/PID/exe (CVE-2019-5736): the file seen through a read-only
/// bind mount of its own that no mount namespace holds (~0.05 ms; opening it for writing is EROFS), as runc 1.2 does.
/// A process that keeps CAP_SYS_ADMIN could make that mount writable again, so it gets a <see cref="SealedExecutable"/>
/// copy (~5 ms for ctrun), as does one where the kernel refuses the mount (no privilege, no new mount API).
/// </summary>
public sealed class ContainerSideExecutable : IDisposable
{
    private readonly SafeFileHandle? _readOnlyMount;
    private readonly SealedExecutable? _copy;

    private ContainerSideExecutable(SafeFileHandle? readOnlyMount, SealedExecutable? copy)
    {
        _readOnlyMount = readOnlyMount;
        _copy = copy;
    }

    /// <summary>What execve's it, in this process (and in a child that inherited the descriptor as it is).</summary>
    public string Path => _readOnlyMount is { } mount ? $"/proc/self/fd/{mount.DangerousGetHandle()}" : _copy!.Path;

    /// <summary>For a process confined by <paramref name="capabilities"/> (none: no capability at all).</summary>
    public static ContainerSideExecutable For(string executable, SpecCapabilities? capabilities)
    {
        bool mayRemount = capabilities is not null
            && new[] { capabilities.Bounding, capabilities.Effective, capabilities.Permitted, capabilities.Ambient }.Any(set => set.Contains("CAP_SYS_ADMIN"));
        return !mayRemount && ReadOnlyMountOf(executable) is { } mount ? new(mount, null) : new(null, SealedExecutable.Of(executable));
    }

    private static SafeFileHandle? ReadOnlyMountOf(string executable)
    {
        int tree = Linux.open_tree(Linux.AT_FDCWD, executable, Linux.OPEN_TREE_CLONE | Linux.OPEN_TREE_CLOEXEC);
        if (tree < 0)
            return null;
        var mount = new SafeFileHandle(tree, ownsHandle: true);
        if (Linux.mount_setattr(tree, Linux.MOUNT_ATTR_RDONLY, recursive: false) == 0)
            return mount;
        mount.Dispose();
        return null;
    }

    public void Dispose()
    {
        _readOnlyMount?.Dispose();
        _copy?.Dispose();
    }
}
