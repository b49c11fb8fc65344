using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>
/// The one entry a raw-cloned child may call between clone and execve. The child is a copy of a
/// multithreaded .NET process with only the calling thread: it must not allocate, take a runtime lock or
/// make a GC transition (a GC suspension pending in the copy would wait forever), so the call stays in
/// cooperative mode (SuppressGCTransition), returns the raw result (-errno) and is bound before the clone.
/// </summary>
public static partial class Linux
{
    public const long SYS_read = 0;
    public const long SYS_dup2 = 33;
    public const long SYS_clone = 56;
    public const long SYS_execve = 59;
    public const long SYS_getpid = 39;
    public const long SYS_setresuid = 117;
    public const long SYS_setresgid = 119;
    public const long SYS_setgroups = 116;
    public const long SYS_exit_group = 231;
    public const long SYS_setns = 308;
    public const long SYS_unshare = 272;
    public const int SIGCHLD = 17;

    [LibraryImport("libc", EntryPoint = "syscall")]
    [SuppressGCTransition]
    public static partial long raw_syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5);
}
