namespace ContainerTools.Core.Images;

/// <summary>What an image says about running it (the "config" of its configuration blob), empty collections when unset.</summary>
public sealed record ImageConfig(
    IReadOnlyList<string> Env,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Entrypoint,
    string WorkingDir,
    string User,
    IReadOnlyList<string> ExposedPorts,
    IReadOnlyDictionary<string, string> Labels,
    string? StopSignal,
    IReadOnlyList<string> Volumes,
    IReadOnlyList<string> Shell,
    IReadOnlyList<string> OnBuild,
    Containers.HealthCheck? Healthcheck = null)
{
    internal static ImageConfig From(Oci.RunConfig? config) => new(
        config?.Env ?? [],
        config?.Cmd ?? [],
        config?.Entrypoint ?? [],
        config?.WorkingDir ?? "",
        config?.User ?? "",
        config?.ExposedPorts?.Keys.Order(StringComparer.Ordinal).ToList() ?? [],
        config?.Labels ?? new Dictionary<string, string>(),
        string.IsNullOrEmpty(config?.StopSignal) ? null : config.StopSignal,
        config?.Volumes?.Keys.Order(StringComparer.Ordinal).ToList() ?? [],
        config?.Shell ?? [],
        config?.OnBuild ?? [],
        Containers.HealthCheck.FromImage(config?.Healthcheck));
}
