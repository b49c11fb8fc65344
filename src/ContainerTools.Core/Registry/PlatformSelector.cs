using System.Runtime.InteropServices;
using ContainerTools.Core.Images.Oci;

namespace ContainerTools.Core.Registry;

/// <summary>An "os/architecture[/variant]" platform, and the choice of one manifest from an image index by it.</summary>
public sealed record PlatformSelector(string Os, string Architecture, string? Variant)
{
    /// <summary>This machine: linux and its architecture in GOARCH words.</summary>
    public static PlatformSelector Host { get; } = new("linux", RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        var other => other.ToString().ToLowerInvariant(),
    }, null);

    public override string ToString() => Os + "/" + Architecture + (Variant is null ? "" : "/" + Variant);

    public static PlatformSelector Parse(string text)
    {
        string[] parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw new EngineException("InvalidPlatform", ErrorKind.InvalidArgument, text, $"'{text}' is not a platform: use os/architecture[/variant], for example linux/amd64.");
        return new PlatformSelector(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>
    /// The index entry for this platform: os and architecture must match; a variant too when one was asked for (or
    /// implied: arm means arm/v7), each side normalised as containerd does, so arm64/v8 and arm64 are one platform.
    /// </summary>
    public Descriptor Choose(IndexDocument index, string target)
    {
        var (architecture, variant) = Normalize(Architecture, Variant);
        var candidates = index.Manifests.Where(m => m.Platform is { } p && p.Os == Os && Normalize(p.Architecture, p.Variant).Architecture == architecture).ToList();
        var chosen = variant is null
            ? candidates.OrderBy(m => Normalize(m.Platform!.Architecture, m.Platform.Variant).Variant is null ? 0 : 1).FirstOrDefault()
            : candidates.FirstOrDefault(m => Normalize(m.Platform!.Architecture, m.Platform.Variant).Variant == variant);
        if (chosen is not null)
            return chosen;
        string offered = string.Join(", ", index.Manifests.Where(m => m.Platform is not null)
            .Select(m => m.Platform!.Os + "/" + m.Platform.Architecture + (m.Platform.Variant is null ? "" : "/" + m.Platform.Variant)));
        throw new EngineException("PlatformNotFound", ErrorKind.NotFound, target, $"{target} has no image for {this} (it offers: {(offered.Length == 0 ? "none" : ServerText.Printable(offered))}).");
    }

    /// <summary>An architecture and variant in the words of Go's GOARCH and GOARM, with containerd's defaults.</summary>
    private static (string Architecture, string? Variant) Normalize(string architecture, string? variant) => (architecture, variant) switch
    {
        ("aarch64" or "arm64", null or "8" or "v8") => ("arm64", null),
        ("aarch64", _) => ("arm64", variant),
        ("armhf", _) => ("arm", "v7"),
        ("armel", _) => ("arm", "v6"),
        ("arm", null or "7") => ("arm", "v7"),
        ("arm", "5" or "6" or "8") => ("arm", "v" + variant),
        ("x86_64" or "x86-64", _) => ("amd64", variant),
        _ => (architecture, variant),
    };
}
