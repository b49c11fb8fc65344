using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>
/// Seccomp: Debian's libseccomp2 compiles profiles into classic BPF on the host side, and the kernel's
/// seccomp(2) loads the bytes in the container's init. libseccomp reports failures as negative errno
/// values (it does not set errno), so its results are checked with <see cref="CheckSeccomp"/>.
/// </summary>
public static unsafe partial class Linux
{
    private const string LibSeccomp = "libseccomp.so.2";

    /// <summary>libseccomp's __NR_SCMP_ERROR: a syscall name no architecture knows.</summary>
    public const int NR_SCMP_ERROR = -1;

    /// <summary>The seccomp(2) syscall number of this architecture.</summary>
    public static long SYS_seccomp => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 277 : 317;

    public const uint SECCOMP_SET_MODE_FILTER = 1;

    /// <summary>struct scmp_arg_cmp.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ScmpArgCmp
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    /// <summary>struct sock_fprog: the classic BPF program seccomp(2) takes (8-byte instructions).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Len;
        public byte* Filter;
    }

    [LibraryImport(LibSeccomp)]
    public static partial IntPtr seccomp_init(uint defaultAction);

    [LibraryImport(LibSeccomp)]
    public static partial void seccomp_release(IntPtr ctx);

    [LibraryImport(LibSeccomp)]
    public static partial int seccomp_arch_add(IntPtr ctx, uint archToken);

    [LibraryImport(LibSeccomp, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint seccomp_arch_resolve_name(string name);

    [LibraryImport(LibSeccomp, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(LibSeccomp)]
    public static partial int seccomp_rule_add_array(IntPtr ctx, uint action, int syscall, uint argCount, ScmpArgCmp* args);

    [LibraryImport(LibSeccomp)]
    public static partial int seccomp_export_bpf(IntPtr ctx, int fd);

    /// <summary>libseccomp's SCMP_FLTATR_CTL_OPTIMIZE: how the program is laid out (2: a binary tree of the syscalls).</summary>
    public const int SCMP_FLTATR_CTL_OPTIMIZE = 8;

    [LibraryImport(LibSeccomp)]
    public static partial int seccomp_attr_set(IntPtr ctx, int attribute, uint value);

    /// <summary>seccomp(SECCOMP_SET_MODE_FILTER, flags, prog) through syscall(2): glibc has no wrapper.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long seccomp_set_mode_filter(long number, uint operation, uint flags, SockFprog* program);

    /// <summary>struct scmp_version.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ScmpVersion
    {
        public uint Major;
        public uint Minor;
        public uint Micro;
    }

    [LibraryImport(LibSeccomp)]
    public static partial ScmpVersion* seccomp_version();

    /// <summary>The loaded libseccomp's version, "major.minor.micro".</summary>
    public static string SeccompVersion
    {
        get
        {
            var version = seccomp_version();
            return $"{version->Major}.{version->Minor}.{version->Micro}";
        }
    }

    /// <summary>Throws when a libseccomp call returned a negative errno; returns the result otherwise.</summary>
    public static int CheckSeccomp(int result, string call, string? what = null) =>
        result < 0 ? throw new NativeCallException(call, what, -result) : result;
}
