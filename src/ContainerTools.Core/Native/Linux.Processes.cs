using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Processes: pidfds, signals, credentials, capabilities, prctl, exec, descriptors.</summary>
public static partial class Linux
{
    public const int PR_SET_PDEATHSIG = 1;
    public const int PR_SET_NAME = 15;
    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_GET_NO_NEW_PRIVS = 39;
    public const uint CLOSE_RANGE_CLOEXEC = 4;
    public const int F_SETFD = 2;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int FD_CLOEXEC = 1;
    public const int F_DUPFD_CLOEXEC = 1030;
    public const short POLLIN = 1;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close_range(uint first, uint last, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsid();

    /// <summary>Sets the calling thread's file system uid (glibc does not spread it to other threads); returns the previous one.</summary>
    [LibraryImport("libc")]
    public static partial int setfsuid(int uid);

    [LibraryImport("libc")]
    public static partial int setfsgid(int gid);

    [LibraryImport("libc")]
    public static partial int getppid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int dup2(int oldFd, int newFd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int command, int arg);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int pipe2(int* fds, int flags);

    /// <summary>
    /// setresuid(2) of the calling thread alone. glibc's setresuid, setresgid and setgroups switch every thread of
    /// the process (a signal to each and a wait for all, ~0.2 ms per call in a .NET process); the init and exec
    /// switch the thread that execs next, and execve ends the others, as it already does for capabilities,
    /// no_new_privs and the seccomp filter (per thread too).
    /// </summary>
    public static int setresuid_thread(uint ruid, uint euid, uint suid) => (int)syscall3(SYS_setresuid, (nint)ruid, (nint)euid, (nint)suid);

    /// <summary>setresgid(2) of the calling thread alone (see <see cref="setresuid_thread"/>).</summary>
    public static int setresgid_thread(uint rgid, uint egid, uint sgid) => (int)syscall3(SYS_setresgid, (nint)rgid, (nint)egid, (nint)sgid);

    /// <summary>setgroups(2) of the calling thread alone (see <see cref="setresuid_thread"/>).</summary>
    public static unsafe int setgroups_thread(nuint size, uint* groups) => (int)syscall3(SYS_setgroups, (nint)size, (nint)groups, 0);

    /// <summary>syscall(2) with three arguments: -1 and errno on failure.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long number, nint a1, nint a2, nint a3);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int sigprocmask(int how, ulong* set, ulong* oldSet);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint signal(int signal, nint handler);

    /// <summary>glibc's struct sigaction on x86-64, handled as opaque bytes: saved and put back verbatim.</summary>
    public const int SigactionSize = 152;

    /// <param name="action">A struct sigaction (<see cref="SigactionSize"/> bytes); all zero is SIG_DFL.</param>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int sigaction(int signal, byte* action, byte* oldAction);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    public struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    public const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int capset(CapHeader* header, CapData* data);

    private const long SYS_pidfd_send_signal = 424;
    private const long SYS_pidfd_open = 434;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall4(long number, long a, long b, long c, long d);

    /// <summary>A descriptor for a process that stays bound to it even if its pid is reused.</summary>
    public static int pidfd_open(int pid) => (int)syscall4(SYS_pidfd_open, pid, 0, 0, 0);

    public static int pidfd_send_signal(int pidfd, int signal) => (int)syscall4(SYS_pidfd_send_signal, pidfd, signal, 0, 0);
}
