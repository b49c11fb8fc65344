using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A pipe with one end for the child started next, which inherits it as the one descriptor that is not
/// close-on-exec; the other end stays ours alone, so its closing (or our exit) is what the child sees.
/// </summary>
public static class InheritedPipe
{
    public static unsafe (int Read, int Write) Create(bool childReads, string purpose)
    {
        int* fds = stackalloc int[2];
        Errno.Check(Linux.pipe2(fds, Linux.O_CLOEXEC), "pipe2", purpose);
        Errno.Check(Linux.fcntl(childReads ? fds[0] : fds[1], Linux.F_SETFD, 0), "fcntl", purpose);
        return (fds[0], fds[1]);
    }
}
