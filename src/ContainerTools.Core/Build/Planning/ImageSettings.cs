using System.Collections.Immutable;
using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// The part of an image config a Dockerfile controls (OCI config fields plus Docker's Shell, Healthcheck and
/// OnBuild). Immutable: each instruction makes the next value with `with`, so every step keeps its own.
/// </summary>
public sealed record ImageSettings
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public static readonly ImmutableList<string> DefaultShell = ["/bin/sh", "-c"];

    public static ImageSettings Empty { get; } = new();

    /// <summary>"NAME=value" entries in the order they were first set.</summary>
    public ImmutableList<string> Env { get; init; } = [];
    public string User { get; init; } = "";
    public string WorkingDir { get; init; } = "";
    public ImmutableList<string>? Entrypoint { get; init; }
    public ImmutableList<string>? Cmd { get; init; }
    /// <summary>"port/proto", as the OCI config's ExposedPorts keys.</summary>
    public ImmutableSortedSet<string> ExposedPorts { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
    public ImmutableSortedSet<string> Volumes { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
    public string? StopSignal { get; init; }
    /// <summary>The SHELL for shell-form commands; null means the default /bin/sh -c.</summary>
    public ImmutableList<string>? Shell { get; init; }
    public HealthcheckSettings? Healthcheck { get; init; }
    public ImmutableList<string> OnBuild { get; init; } = [];
    public string? Author { get; init; }

    public ImmutableList<string> EffectiveShell => Shell ?? DefaultShell;

    /// <summary>The value of an environment variable, or null when it is not set.</summary>
    public string? GetEnv(string name)
    {
        string prefix = name + "=";
        string? entry = Env.FindLast(e => e.StartsWith(prefix, StringComparison.Ordinal));
        return entry?[prefix.Length..];
    }

    /// <summary>Sets a variable in place (an existing one keeps its position, as Docker does) or appends it.</summary>
    public ImageSettings WithEnv(string name, string value)
    {
        string prefix = name + "=";
        int index = Env.FindIndex(e => e.StartsWith(prefix, StringComparison.Ordinal));
        return this with { Env = index < 0 ? Env.Add(prefix + value) : Env.SetItem(index, prefix + value) };
    }
}
