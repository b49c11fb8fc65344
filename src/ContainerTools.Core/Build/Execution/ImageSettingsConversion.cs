using System.Collections.Immutable;
using System.Text.Json;
using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Build.Syntax;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;

namespace ContainerTools.Core.Build.Execution;

/// <summary>Between the store's image config and the settings a Dockerfile changes.</summary>
public static class ImageSettingsConversion
{
    public static ImageSettings FromImage(ImageConfig config, string? author = null) => new()
    {
        Env = [.. config.Env],
        User = config.User,
        WorkingDir = config.WorkingDir,
        Entrypoint = config.Entrypoint.Count == 0 ? null : [.. config.Entrypoint],
        Cmd = config.Cmd.Count == 0 ? null : [.. config.Cmd],
        ExposedPorts = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, config.ExposedPorts),
        Volumes = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, config.Volumes),
        Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, config.Labels),
        StopSignal = config.StopSignal,
        Shell = config.Shell.Count == 0 ? null : [.. config.Shell],
        OnBuild = [.. config.OnBuild],
        Author = author,
    };

    public static RunConfig ToRunConfig(ImageSettings settings) => new()
    {
        User = NullIfEmpty(settings.User),
        ExposedPorts = settings.ExposedPorts.Count == 0 ? null : settings.ExposedPorts.ToDictionary(p => p, _ => new EmptyObject()),
        Env = [.. settings.Env],
        Entrypoint = settings.Entrypoint?.ToList(),
        Cmd = settings.Cmd?.ToList(),
        Volumes = settings.Volumes.Count == 0 ? null : settings.Volumes.ToDictionary(p => p, _ => new EmptyObject()),
        WorkingDir = NullIfEmpty(settings.WorkingDir),
        Labels = settings.Labels.Count == 0 ? null : new Dictionary<string, string>(settings.Labels),
        StopSignal = settings.StopSignal,
        Shell = settings.Shell?.ToList(),
        Healthcheck = settings.Healthcheck is { } check ? Healthcheck(check) : null,
        OnBuild = settings.OnBuild.Count == 0 ? null : [.. settings.OnBuild],
    };

    /// <summary>Docker's Healthcheck object: durations in nanoseconds, zero fields left out.</summary>
    private static JsonElement Healthcheck(HealthcheckSettings check)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Test");
            foreach (string item in check.Test)
                writer.WriteStringValue(item);
            writer.WriteEndArray();
            foreach (var (name, value) in new[] { ("Interval", check.Interval), ("Timeout", check.Timeout), ("StartPeriod", check.StartPeriod), ("StartInterval", check.StartInterval) })
                if (value != TimeSpan.Zero)
                    writer.WriteNumber(name, value.Ticks * 100);
            if (check.Retries != 0)
                writer.WriteNumber("Retries", check.Retries);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
