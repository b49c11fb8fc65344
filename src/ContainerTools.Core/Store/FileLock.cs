using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Store;

/// <summary>
/// An flock(2) on a file under the store's locks/ directory. flock belongs to the open file description,
/// so it excludes other processes and other threads of this one alike, and the kernel drops it when a
/// holder dies (kill -9 never leaves a stale lock). Released explicitly (LOCK_UN), so a copy of the
/// descriptor in a child being forked does not keep it.
/// </summary>
public sealed class FileLock : IDisposable
{
    private int _fd;

    private FileLock(int fd) => _fd = fd;

    /// <summary>The locked descriptor, for a process that hands the lock on across execve.</summary>
    public int Descriptor => _fd;

    /// <summary>A lock this process holds already on <paramref name="fd"/> (kept across execve).</summary>
    public static FileLock Inherited(int fd) => new(fd);

    /// <summary>Blocks until the lock is held. <paramref name="name"/> is a file name such as "store" or "container-&lt;id&gt;".</summary>
    public static FileLock Acquire(StoreLocation store, string name, bool shared = false) =>
        Acquire(System.IO.Path.Combine(store.LocksDirectory, name + ".lock"), shared);

    public static FileLock Acquire(string path, bool shared = false)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return Lock(path, LibC.O_RDWR | LibC.O_CREAT, shared ? Linux.LOCK_SH : Linux.LOCK_EX)!;
    }

    /// <summary>Takes the lock only if no one holds it (LOCK_NB); null when someone does.</summary>
    public static FileLock? TryAcquire(StoreLocation store, string name) =>
        TryAcquire(System.IO.Path.Combine(store.LocksDirectory, name + ".lock"));

    public static FileLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return Lock(path, LibC.O_RDWR | LibC.O_CREAT, Linux.LOCK_EX | Linux.LOCK_NB);
    }

    /// <summary>
    /// Locks a file in the directory of what it guards, made there on first use: null when the directory is gone
    /// (what it guarded was deleted: nothing is made for it, so no lock file outlives it) or, with
    /// <paramref name="wait"/> false, when someone holds it.
    /// </summary>
    public static FileLock? InDirectory(string path, bool wait, bool shared = false)
    {
        try
        {
            return Lock(path, LibC.O_RDWR | LibC.O_CREAT, (shared ? Linux.LOCK_SH : Linux.LOCK_EX) | (wait ? 0 : Linux.LOCK_NB));
        }
        catch (NativeCallException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>
    /// Locks a directory itself, so no lock file outlives what it guards: null when the directory does not
    /// exist, was renamed away while we waited (what it guarded was deleted under the lock), or, with
    /// <paramref name="wait"/> false, when someone holds it.
    /// </summary>
    public static FileLock? OnDirectory(string path, bool wait)
    {
        FileLock? locked;
        try
        {
            locked = Lock(path, LibC.O_RDONLY | LibC.O_DIRECTORY, wait ? Linux.LOCK_EX : Linux.LOCK_EX | Linux.LOCK_NB);
        }
        catch (NativeCallException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
        if (locked is null || StillAt(locked._fd, path))
            return locked;
        locked.Dispose();
        return null;
    }

    /// <summary>True while <paramref name="path"/> names the directory <paramref name="fd"/> holds.</summary>
    private static bool StillAt(int fd, string path)
    {
        int current = Linux.openat(Linux.AT_FDCWD, path, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        if (current < 0)
            return Errno.Last is Errno.ENOENT or Errno.ENOTDIR ? false : throw new NativeCallException("open", path, Errno.Last);
        try
        {
            var (held, named) = (Linux.Status(fd, path), Linux.Status(current, path));
            return held.Device == named.Device && held.Inode == named.Inode;
        }
        finally
        {
            LibC.close(current);
        }
    }

    /// <summary>Opens <paramref name="path"/> close-on-exec and flocks it; null when LOCK_NB finds it held.</summary>
    private static unsafe FileLock? Lock(string path, int flags, int operation)
    {
        int fd;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            fd = Errno.Check(LibC.open(p, flags | LibC.O_CLOEXEC, 0x180 /* 0600 */), "open", path);
        while (Linux.flock(fd, operation) == -1)
        {
            if (Errno.Last == Errno.EINTR)
                continue;
            int errno = Errno.Last;
            LibC.close(fd);
            if (errno == Errno.EAGAIN)
                return null;
            throw new NativeCallException("flock", path, errno);
        }
        return new FileLock(fd);
    }

    /// <summary>
    /// Makes a shared lock exclusive if no one else holds it; false when someone does. flock converts by letting
    /// go first, so a holder that fails holds nothing after: of several trying at once, one always succeeds.
    /// </summary>
    public bool TryMakeExclusive()
    {
        while (Linux.flock(_fd, Linux.LOCK_EX | Linux.LOCK_NB) == -1)
        {
            if (Errno.Last == Errno.EINTR)
                continue;
            return Errno.Last == Errno.EAGAIN ? false : throw new NativeCallException("flock", "(held lock)", Errno.Last);
        }
        return true;
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd < 0)
            return;
        // Unlocked first, not by the close alone: a child another thread was forking meanwhile holds a copy of the
        // descriptor (and with it the lock) until its execve, and a monitor trying the lock then would find it held.
        Linux.flock(fd, Linux.LOCK_UN);
        LibC.close(fd);
    }
}
