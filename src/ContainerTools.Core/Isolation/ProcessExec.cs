using System.Runtime.InteropServices;
using System.Text;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// The init's last act: a clean signal state and no stray descriptors, then execve of the command,
/// found on the container's PATH as a shell would. Returns only by throwing.
/// </summary>
public static class ProcessExec
{
    /// <param name="preservedFds">How many descriptors from 3 up pass on to the command (OCI's --preserve-fds).</param>
    public static unsafe void Exec(IReadOnlyList<string> args, IReadOnlyList<string> env, int preservedFds = 0)
    {
        ResetSignals();
        // Whatever this process holds besides 0-2 and the preserved (runtime descriptors, inherited leftovers) closes at execve.
        Errno.Check(Linux.close_range(3 + (uint)preservedFds, uint.MaxValue, Linux.CLOSE_RANGE_CLOEXEC), "close_range");
        var argv = Strings(args);
        var envp = Strings(env);
        int error = Errno.ENOENT;
        foreach (var candidate in Candidates(args[0], env))
        {
            fixed (byte* path = Encoding.UTF8.GetBytes(candidate + "\0"))
                Linux.execve(path, (byte**)argv, (byte**)envp);
            // Keep the most telling error: "permission denied" beats "not found" (as a shell reports it).
            if (Errno.Last != Errno.ENOENT && Errno.Last != Errno.ENOTDIR)
                error = Errno.Last;
        }
        throw new ExecFailedException(args[0], error);
    }

    private static IEnumerable<string> Candidates(string command, IReadOnlyList<string> env)
    {
        // Not found, as a shell and docker say (127): on the PATH it would be each directory, and EACCES (126).
        if (command.Length == 0)
            yield break;
        if (command.Contains('/'))
        {
            yield return command;
            yield break;
        }
        string path = env.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return dir.TrimEnd('/') + "/" + command;
    }

    private static unsafe void ResetSignals()
    {
        ulong empty = 0;
        Errno.Check(Linux.sigprocmask(2 /* SIG_SETMASK */, &empty, null), "sigprocmask");
        // Handlers reset themselves at execve; ignored signals (SIGPIPE in .NET) would stay ignored.
        for (int signal = 1; signal < 32; signal++)
        {
            if (signal is not (9 or 19))
                Linux.signal(signal, 0 /* SIG_DFL */);
        }
    }

    /// <summary>A NULL-terminated array of C strings for execve; never freed (execve replaces the process, or it failed once).</summary>
    internal static unsafe nint Strings(IReadOnlyList<string> values)
    {
        var array = (nint*)NativeMemory.Alloc((nuint)(values.Count + 1), (nuint)sizeof(nint));
        for (int i = 0; i < values.Count; i++)
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        array[values.Count] = 0;
        return (nint)array;
    }
}

/// <summary>The command could not be executed; the exit code follows the shell's convention (127 not found, 126 not executable).</summary>
public sealed class ExecFailedException(string command, int errno)
    : EngineException(errno == Errno.ENOENT ? "CommandNotFound" : "CommandNotExecutable",
        errno switch { Errno.ENOENT => ErrorKind.NotFound, Errno.EACCES or Errno.EPERM => ErrorKind.PermissionDenied, _ => ErrorKind.InvalidOperation },
        command,
        errno == Errno.ENOENT
            ? $"executable file not found: {(command.Length == 0 ? "'' (an empty command)" : command)}"
            : $"cannot execute {command}: {Marshal.GetPInvokeErrorMessage(errno)}")
{
    public int ExitCode { get; } = errno == Errno.ENOENT ? 127 : 126;
}
