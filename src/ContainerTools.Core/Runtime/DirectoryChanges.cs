using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The process's one inotify instance, for waiters that want to learn of a file renamed into a folder (a state
/// written) without polling it. Shared and never closed: closing an instance that had watches waits out an SRCU
/// grace period (~15 ms here), where removing a watch does not wait. Any waiter may read (drain) the events of
/// another, so a waiter must also have a way of its own to learn its news late (a pidfd, a timeout).
/// </summary>
public static class DirectoryChanges
{
    private static readonly Lazy<int> Instance = new(() => Errno.Check(Linux.inotify_init1(Linux.IN_CLOEXEC | Linux.IN_NONBLOCK), "inotify_init1"));

    /// <summary>Readable when events wait.</summary>
    public static int Descriptor => Instance.Value;

    /// <summary>Watches files renamed into <paramref name="directory"/> and its own removal; -1 when it is gone already.</summary>
    public static int Watch(string directory)
    {
        int watch = Linux.inotify_add_watch(Descriptor, directory, Linux.IN_MOVED_TO | Linux.IN_MOVE_SELF | Linux.IN_DELETE_SELF | Linux.IN_ONLYDIR);
        if (watch < 0 && Errno.Last != Errno.ENOENT)
            throw new NativeCallException("inotify_add_watch", directory, Errno.Last);
        return watch;
    }

    /// <summary>Ends a watch; one the kernel ended (its folder was removed) or another waiter shared is no error.</summary>
    public static void Unwatch(int watch)
    {
        if (watch >= 0)
            Linux.inotify_rm_watch(Descriptor, watch);
    }

    /// <summary>Reads what is pending: the events are only a wake-up, what counts is read from the files.</summary>
    public static unsafe void Drain()
    {
        byte* buffer = stackalloc byte[4096];
        while (Linux.read(Descriptor, buffer, 4096) > 0)
        {
        }
    }
}
