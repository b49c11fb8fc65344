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
    public static void WriteAndClose(Process process, string text)
    {
        try
        {
            Linux.WriteAll((int)Handle(process.StandardInput.BaseStream).DangerousGetHandle(), Encoding.UTF8.GetBytes(text), "stdin of " + process.StartInfo.FileName);
        }
        catch (NativeCallException e) when (e.Errno == Errno.EPIPE)
        {
            // it exited without reading
        }
        process.StandardInput.Close();
    }

    /// <summary>Reads the child's stdout and stderr together until both end, so neither can fill up and stall it.</summary>
    public static (string Stdout, string Stderr) ReadToEnd(Process process)
    {
        MemoryStream[] read = [new(), new()];
        PipeDrain.Run([Handle(process.StandardOutput.BaseStream), Handle(process.StandardError.BaseStream)],
            (data, i) => read[i].Write(data), process.StartInfo.FileName);
        return (Encoding.UTF8.GetString(read[0].GetBuffer(), 0, (int)read[0].Length), Encoding.UTF8.GetString(read[1].GetBuffer(), 0, (int)read[1].Length));
    }

    /// <summary>The pipe descriptor under one of a child's redirected streams.</summary>
    public static SafeHandle Handle(Stream redirected) => ((PipeStream)redirected).SafePipeHandle;
}
