using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A started child's redirected stdin, stdout and stderr driven with plain write(2), read(2) and poll(2): .NET's
/// pipe streams start its socket engine (an epoll thread that never ends) and async reads start the thread
/// pool, threads a monitor would then keep for its container's whole life.
/// </summary>
public static class ChildStdio
{
    /// <summary>Writes <paramref name="text"/> to the child's stdin and closes it; a child that exits without reading it is not an error.</summary>
    public static unsafe void WriteAndClose(Process process, string text)
    {
        var stdin = Handle(process.StandardInput.BaseStream);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* start = bytes)
        {
            for (int written = 0; written < bytes.Length;)
            {
                nint count = Linux.write((int)stdin.DangerousGetHandle(), start + written, (nuint)(bytes.Length - written));
                if (count < 0 && Errno.Last == Errno.EINTR)
                    continue;
                if (count < 0 && Errno.Last == Errno.EPIPE)
                    break;
                if (count < 0)
                    throw new NativeCallException("write", "stdin of " + process.StartInfo.FileName, Errno.Last);
                written += (int)count;
            }
        }
        process.StandardInput.Close();
    }

    /// <summary>Reads the child's stdout and stderr together until both end, so neither can fill up and stall it.</summary>
    public static unsafe (string Stdout, string Stderr) ReadToEnd(Process process)
    {
        SafeHandle[] pipes = [Handle(process.StandardOutput.BaseStream), Handle(process.StandardError.BaseStream)];
        MemoryStream[] read = [new(), new()];
        bool[] open = [true, true];
        var buffer = new byte[16384];
        Linux.PollFd* polls = stackalloc Linux.PollFd[2];
        while (open[0] || open[1])
        {
            for (int i = 0; i < 2; i++)
                polls[i] = new Linux.PollFd { Fd = open[i] ? (int)pipes[i].DangerousGetHandle() : -1, Events = Linux.POLLIN };
            if (Linux.poll(polls, 2, -1) < 0)
            {
                if (Errno.Last == Errno.EINTR)
                    continue;
                throw new NativeCallException("poll", process.StartInfo.FileName, Errno.Last);
            }
            for (int i = 0; i < 2; i++)
            {
                if (polls[i].Fd < 0 || polls[i].Revents == 0)
                    continue;
                nint count;
                fixed (byte* into = buffer)
                    count = Linux.read(polls[i].Fd, into, (nuint)buffer.Length);
                if (count < 0 && Errno.Last is Errno.EINTR or Errno.EAGAIN)
                    continue;
                if (count < 0)
                    throw new NativeCallException("read", process.StartInfo.FileName, Errno.Last);
                if (count == 0)
                    open[i] = false;
                else
                    read[i].Write(buffer, 0, (int)count);
            }
        }
        return (Encoding.UTF8.GetString(read[0].GetBuffer(), 0, (int)read[0].Length), Encoding.UTF8.GetString(read[1].GetBuffer(), 0, (int)read[1].Length));
    }

    /// <summary>The pipe descriptor under one of a child's redirected streams.</summary>
    public static SafeHandle Handle(Stream redirected) => ((PipeStream)redirected).SafePipeHandle;
}
