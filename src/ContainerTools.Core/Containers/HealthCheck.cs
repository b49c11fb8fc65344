using System.Text.Json;

namespace ContainerTools.Core.Containers;

/// <summary>
/// How a running container's health is probed, as Docker's Healthcheck (HEALTHCHECK in a Dockerfile, docker run
/// --health-*): <see cref="Test"/> runs in the container every <see cref="Interval"/>; exit 0 is healthy, anything
/// else (or no exit within <see cref="Timeout"/>) a failure; <see cref="Retries"/> failures in a row make it
/// unhealthy, and failures within <see cref="StartPeriod"/> of its start do not count.
/// </summary>
/// <param name="Test">Docker's form: ["CMD-SHELL", "command line"] or ["CMD", program, args...].</param>
public sealed record HealthCheck(IReadOnlyList<string> Test, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, int Retries)
{
    /// <summary>Docker's defaults for what a HEALTHCHECK or the flags leave out.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultRetries = 3;

    /// <summary>What runs in the container: a CMD-SHELL line through /bin/sh -c, a CMD as it is.</summary>
    public IReadOnlyList<string> Command => Test[0] == "CMD-SHELL" ? ["/bin/sh", "-c", Test[1]] : Test.Skip(1).ToList();

    /// <summary>The image's Healthcheck (durations in nanoseconds); null when it has none, or says NONE, or is malformed.</summary>
    public static HealthCheck? FromImage(JsonElement? config)
    {
        if (config is not { ValueKind: JsonValueKind.Object } check
            || !check.TryGetProperty("Test", out var test) || test.ValueKind != JsonValueKind.Array)
            return null;
        var words = test.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String).Select(w => w.GetString()!).ToList();
        if (!IsRunnable(words))
            return null;
        return new HealthCheck(words, Duration(check, "Interval") ?? DefaultInterval, Duration(check, "Timeout") ?? DefaultTimeout,
            Duration(check, "StartPeriod") ?? TimeSpan.Zero,
            check.TryGetProperty("Retries", out var retries) && retries.TryGetInt32(out int count) && count > 0 ? count : DefaultRetries);
    }

    /// <summary>
    /// The container's check: the image's with what the user gave in its place, as docker run's --health-* flags
    /// override a HEALTHCHECK field by field; a command given where the image has none makes one with Docker's
    /// defaults; <paramref name="none"/> (--no-healthcheck) leaves none. Each value given is checked.
    /// </summary>
    public static HealthCheck? Resolve(HealthCheck? image, string? command, TimeSpan? interval, TimeSpan? timeout, TimeSpan? startPeriod, int? retries, bool none)
    {
        Positive(interval, "InvalidHealthInterval", "-HealthInterval");
        Positive(timeout, "InvalidHealthTimeout", "-HealthTimeout");
        if (startPeriod < TimeSpan.Zero)
            throw new EngineException("InvalidHealthStartPeriod", ErrorKind.InvalidArgument, startPeriod, "-HealthStartPeriod is 0 seconds or more");
        if (retries < 1)
            throw new EngineException("InvalidHealthRetries", ErrorKind.InvalidArgument, retries, "-HealthRetries is 1 or more");
        if (command is { } line && string.IsNullOrWhiteSpace(line))
            throw new EngineException("InvalidHealthCommand", ErrorKind.InvalidArgument, line, "-HealthCommand needs a command");
        if (none)
            return null;
        var check = command is not null
            ? new HealthCheck(["CMD-SHELL", command], image?.Interval ?? DefaultInterval, image?.Timeout ?? DefaultTimeout, image?.StartPeriod ?? TimeSpan.Zero, image?.Retries ?? DefaultRetries)
            : image;
        return check is null ? null : check with
        {
            Interval = interval ?? check.Interval,
            Timeout = timeout ?? check.Timeout,
            StartPeriod = startPeriod ?? check.StartPeriod,
            Retries = retries ?? check.Retries,
        };
    }

    private static bool IsRunnable(IReadOnlyList<string> test) =>
        test is ["CMD-SHELL", { Length: > 0 }] || (test is ["CMD", _, ..] && test[1].Length > 0);

    private static TimeSpan? Duration(JsonElement check, string name) =>
        check.TryGetProperty(name, out var value) && value.TryGetInt64(out long nanoseconds) && nanoseconds > 0
            ? TimeSpan.FromTicks(nanoseconds / 100)
            : null;

    private static void Positive(TimeSpan? value, string errorId, string parameter)
    {
        if (value <= TimeSpan.Zero)
            throw new EngineException(errorId, ErrorKind.InvalidArgument, value, $"{parameter} is more than 0 seconds");
    }
}
