using ContainerTools.Core.Native;

namespace ContainerTools.Core.Oci;

/// <summary>
/// Puts a descriptor (a console's pty slave) on this process's 0-2 while a child is started, so the child
/// inherits it, and puts the originals back when disposed. For the single-purpose ctrun process only.
/// </summary>
public sealed class StdioSwap : IDisposable
{
    private readonly int[] _saved = new int[3];

    private StdioSwap(int fd)
    {
        for (int i = 0; i < 3; i++)
            _saved[i] = Errno.Check(Linux.fcntl(i, Linux.F_DUPFD_CLOEXEC, 3), "fcntl(F_DUPFD_CLOEXEC)", "stdio");
        for (int i = 0; i < 3; i++)
            Errno.Check(Linux.dup2(fd, i), "dup2", "stdio");
    }

    public static StdioSwap To(int fd) => new(fd);

    public void Dispose()
    {
        for (int i = 0; i < 3; i++)
        {
            Linux.dup2(_saved[i], i);
            Linux.close(_saved[i]);
        }
    }
}
