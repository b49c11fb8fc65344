using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Store;

/// <summary>
/// An flock(2) on a file under the store's locks/ directory. flock belongs to the open file description,
/// so it excludes other processes and other threads of this one alike, and the kernel drops it when a
/// holder dies (kill -9 never leaves a stale lock).
/// </summary>
public sealed class FileLock : IDisposable
{
    private int _fd;

    private FileLock(int fd) => _fd = fd;

    /// <summary>Blocks until the lock is held. <paramref name="name"/> is a file name such as "store" or "container-&lt;id&gt;".</summary>
    public static FileLock Acquire(StoreLocation store, string name, bool shared = false) =>
        Acquire(System.IO.Path.Combine(store.LocksDirectory, name + ".lock"), shared);

    public static unsafe FileLock Acquire(string path, bool shared = false)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        int fd;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            fd = Errno.Check(LibC.open(p, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0x180 /* 0600 */), "open", path);
        try
        {
            int operation = shared ? Linux.LOCK_SH : Linux.LOCK_EX;
            Errno.Retry(() => Linux.flock(fd, operation), "flock", path);
        }
        catch
        {
            LibC.close(fd);
            throw;
        }
        return new FileLock(fd);
    }

    /// <summary>Takes the lock only if no one holds it (LOCK_NB); null when someone does.</summary>
    public static unsafe FileLock? TryAcquire(StoreLocation store, string name)
    {
        string path = System.IO.Path.Combine(store.LocksDirectory, name + ".lock");
        Directory.CreateDirectory(store.LocksDirectory);
        int fd;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            fd = Errno.Check(LibC.open(p, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0x180 /* 0600 */), "open", path);
        while (Linux.flock(fd, Linux.LOCK_EX | Linux.LOCK_NB) == -1)
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

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            LibC.close(fd); // closing the only descriptor releases the flock
    }
}
