using System.Runtime.InteropServices;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// Architecture names as profiles spell them: SCMP_ARCH_* in "architectures"/"archMap" (libseccomp's names
/// with a prefix) and Go's GOARCH names (amd64, arm64, ...) in a rule's includes/excludes, as Docker reads them.
/// </summary>
public static class SeccompArchitecture
{
    private const string Prefix = "SCMP_ARCH_";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
    };

    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>The name libseccomp's seccomp_arch_resolve_name takes ("SCMP_ARCH_X86_64" -> "x86_64").</summary>
    public static string LibseccompName(string name) => name[Prefix.Length..].ToLowerInvariant();

    /// <summary>This process's architecture in SCMP_ARCH_* form: the archMap entry that applies here.</summary>
    public static string Native => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "SCMP_ARCH_X86_64",
        Architecture.X86 => "SCMP_ARCH_X86",
        Architecture.Arm64 => "SCMP_ARCH_AARCH64",
        Architecture.Arm => "SCMP_ARCH_ARM",
        Architecture.S390x => "SCMP_ARCH_S390X",
        Architecture.Ppc64le => "SCMP_ARCH_PPC64LE",
        Architecture.RiscV64 => "SCMP_ARCH_RISCV64",
        Architecture.LoongArch64 => "SCMP_ARCH_LOONGARCH64",
        var other => throw new PlatformNotSupportedException($"seccomp profiles do not know the architecture {other}"),
    };

    /// <summary>This process's architecture as Go names it, which is what rule includes/excludes "arches" list.</summary>
    public static string NativeGoName => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.X86 => "386",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        var other => throw new PlatformNotSupportedException($"seccomp profiles do not know the architecture {other}"),
    };
}
