using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Waiting for a child started outside System.Diagnostics.Process (a raw clone).</summary>
public static partial class Linux
{
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int waitpid(int pid, int* status, int options);

    public const int P_PID = 1;
    public const int WNOHANG = 1;
    public const int WEXITED = 4;
    public const int WNOWAIT = 0x01000000;
    /// <summary>Size of siginfo_t; si_pid is the int at <see cref="SiginfoPidOffset"/>.</summary>
    public const int SiginfoSize = 128;
    public const int SiginfoPidOffset = 16;

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int waitid(int idType, int id, byte* siginfo, int options);

    /// <summary>A wait status as a shell reports it: the exit code, or 128 + the signal that ended the process.</summary>
    public static int ExitCodeOf(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
}
