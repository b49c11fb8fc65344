using System.Text;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Oci;

/// <summary>
/// The create/init protocol over one end of a socketpair: single-byte steps, or 'e' and a message when the
/// init failed. EOF before the expected step means the init died.
/// </summary>
public sealed class SyncChannel(int fd) : IDisposable
{
    public const byte Go = (byte)'g';
    public const byte Mounted = (byte)'m';
    public const byte Ready = (byte)'r';
    public const byte Failed = (byte)'e';

    public int Fd { get; } = fd;

    /// <summary>A connected pair, both ends close-on-exec (the caller makes the init's end inheritable).</summary>
    public static unsafe (SyncChannel Parent, int Child) Create()
    {
        int* fds = stackalloc int[2];
        Errno.Check(Linux.socketpair(Linux.AF_UNIX, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0, fds), "socketpair");
        return (new SyncChannel(fds[0]), fds[1]);
    }

    public unsafe void Send(byte step)
    {
        Errno.Check((int)Linux.write(Fd, &step, 1), "write", "sync channel");
    }

    /// <summary>False when the channel is closed already (the caller has stopped listening).</summary>
    public unsafe bool SendFailure(string message)
    {
        if (_closed)
            return false;
        byte[] bytes = [Failed, .. Encoding.UTF8.GetBytes(message)];
        fixed (byte* p = bytes)
            return Linux.write(Fd, p, (nuint)bytes.Length) > 0;
    }

    /// <summary>Waits for <paramref name="step"/>; throws with the init's message when it failed or died.</summary>
    public void Expect(byte step)
    {
        Span<byte> got = stackalloc byte[1];
        bool read = Linux.ReadExactly(Fd, got);
        if (read && got[0] == step)
            return;
        string message = read && got[0] == Failed ? ReadRest() : "the container's init exited during set-up";
        throw new EngineException("ContainerInitFailed", ErrorKind.InvalidOperation, null, message);
    }

    private unsafe string ReadRest()
    {
        var bytes = new List<byte>();
        byte* buffer = stackalloc byte[512];
        nint read;
        while ((read = Linux.read(Fd, buffer, 512)) > 0 || (read < 0 && Errno.Last == Errno.EINTR))
        {
            for (int i = 0; i < read; i++)
                bytes.Add(buffer[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private bool _closed;

    public void Dispose()
    {
        if (!_closed)
            Linux.close(Fd);
        _closed = true;
    }
}
