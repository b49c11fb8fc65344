using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// Installs a compiled filter on the calling thread: what the container's init does last before execve,
/// after no_new_privs (without it the kernel demands CAP_SYS_ADMIN). The filter survives execve.
/// </summary>
public static class SeccompLoader
{
    private const int InstructionSize = 8;

    /// <exception cref="ArgumentException">The bytes are not a whole number of BPF instructions.</exception>
    /// <exception cref="NativeCallException">The kernel refused the filter.</exception>
    public static unsafe void Load(ReadOnlySpan<byte> bpf)
    {
        if (bpf.Length == 0 || bpf.Length % InstructionSize != 0 || bpf.Length / InstructionSize > ushort.MaxValue)
            throw new ArgumentException($"A seccomp filter of {bpf.Length} bytes is not a BPF program.", nameof(bpf));
        fixed (byte* instructions = bpf)
        {
            var program = new Linux.SockFprog { Len = (ushort)(bpf.Length / InstructionSize), Filter = instructions };
            Errno.Check(Linux.seccomp_set_mode_filter(Linux.SYS_seccomp, Linux.SECCOMP_SET_MODE_FILTER, 0, &program), "seccomp(SECCOMP_SET_MODE_FILTER)");
        }
    }
}
