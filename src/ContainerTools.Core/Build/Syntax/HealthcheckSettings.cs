namespace ContainerTools.Core.Build.Syntax;

/// <summary>
/// A health check as the image config keeps it: Test is ["CMD", argv...] or ["CMD-SHELL", command]
/// (["NONE"] disables an inherited one); a zero duration or retry count means "the default".
/// </summary>
public sealed record HealthcheckSettings(
    IReadOnlyList<string> Test,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan StartPeriod,
    TimeSpan StartInterval,
    int Retries)
{
    public static HealthcheckSettings None { get; } = new(["NONE"], default, default, default, default, 0);
}
