using System.Runtime.InteropServices;

namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// The automatic platform ARGs (TARGETPLATFORM, BUILDARCH, ...): we build for the machine we run on, so
/// target and build platform are the same. Usable in FROM, and in a stage once it declares them with ARG.
/// </summary>
public static class BuildPlatform
{
    public const string Os = "linux";

    public static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static string Platform => $"{Os}/{Architecture}";

    public static IReadOnlyDictionary<string, string> Arguments { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["TARGETPLATFORM"] = Platform,
        ["TARGETOS"] = Os,
        ["TARGETARCH"] = Architecture,
        ["TARGETVARIANT"] = "",
        ["BUILDPLATFORM"] = Platform,
        ["BUILDOS"] = Os,
        ["BUILDARCH"] = Architecture,
        ["BUILDVARIANT"] = "",
    };
}
