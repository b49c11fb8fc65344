namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// The automatic platform ARGs (TARGETPLATFORM, BUILDARCH, ...): we build for the machine we run on, so
/// target and build platform are the same. Usable in FROM, and in a stage once it declares them with ARG.
/// </summary>
public static class BuildPlatform
{
    public const string Os = Images.HostPlatform.Os;

    public static string Architecture => Images.HostPlatform.Architecture;

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
