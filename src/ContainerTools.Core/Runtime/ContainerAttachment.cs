using ContainerTools.Core.Containers;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A session waiting on an auto-remove container (a foreground run, Wait-Container): a shared flock on the
/// container's attach lock, in its directory. While any is held, the monitor leaves the removal to them, so the
/// output and the exit code are still there to read; the last of them to see the end removes it. The kernel
/// drops the lock of a session that dies, and the monitor then removes the container itself.
/// </summary>
public sealed class ContainerAttachment : IDisposable
{
    private readonly FileLock _lock;

    private ContainerAttachment(FileLock held) => _lock = held;

    /// <summary>Attaches to the container; null when it is gone.</summary>
    public static ContainerAttachment? To(ContainerPaths paths) =>
        FileLock.InDirectory(paths.AttachLock, wait: true, shared: true) is { } held ? new(held) : null;

    /// <summary>True when no session is attached to the container (asked by its monitor, or by a Stop); false when it is gone.</summary>
    public static bool NoneOn(ContainerPaths paths)
    {
        using var probe = FileLock.InDirectory(paths.AttachLock, wait: false);
        return probe is not null;
    }

    /// <summary>True when no other session is attached: this one removes the container.</summary>
    public bool IsLast() => _lock.TryMakeExclusive();

    public void Dispose() => _lock.Dispose();
}
