using System.Text;
using System.Text.Json;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Why `ctmon exec` could not start its command, sent to its caller on <see cref="ExecRequest.FailureReport"/>
/// instead of being mixed into the command's stderr. Exit codes as docker exec sets them: 127 when a file the
/// command needs is missing (the command, its working directory), 126 for any other failure to start.
/// </summary>
public sealed record ExecFailure(string ErrorId, ErrorKind Kind, string Message, int ExitCode)
{
    public static ExecFailure Of(Exception e) => e switch
    {
        ExecFailedException command => new(command.ErrorId, command.Kind, command.Message, command.ExitCode),
        EngineException { ErrorId: ContainerInit.WorkingDirectoryNotFound } missing => new(missing.ErrorId, missing.Kind, missing.Message, 127),
        EngineException engine => new(engine.ErrorId, engine.Kind, engine.Message, 126),
        NativeCallException { Errno: Errno.EACCES or Errno.EPERM } denied => new("ExecPermissionDenied", ErrorKind.PermissionDenied, denied.Message, 126),
        _ => new("ExecFailed", ErrorKind.InvalidOperation, e.Message, 126),
    };

    /// <summary>Best effort: the helper is about to exit with <see cref="ExitCode"/>, which its caller sees anyway.</summary>
    public unsafe void WriteTo(int fd)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(this, ExecJsonContext.Default.ExecFailure);
        fixed (byte* p = bytes)
            Linux.write(fd, p, (nuint)bytes.Length);
    }

    /// <summary>
    /// Reads <paramref name="fd"/> to its end and closes it: null when it ended empty (closed at the command's
    /// execve, which is its start), else the failure.
    /// </summary>
    public static ExecFailure? ReadFrom(int fd)
    {
        using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string text = reader.ReadToEnd();
        return text.Length == 0 ? null
            : JsonSerializer.Deserialize(text, ExecJsonContext.Default.ExecFailure)
                ?? throw new EngineException("InvalidExecFailure", ErrorKind.InvalidData, null, "the exec helper's failure report is empty");
    }
}
