using System.Globalization;

namespace ContainerTools.Core.Containers;

/// <summary>
/// What the container's monitor does when its command ends, as docker run --restart: no (nothing), on-failure[:N]
/// (starts it again after a non-zero exit, at most N times when N is given), always and unless-stopped (starts it
/// again whatever the exit). A Stop-Container or Remove-Container ends the restarts until the next Start-Container.
/// With no daemon here, always and unless-stopped differ in nothing: nothing starts containers when the host boots.
/// </summary>
public sealed record RestartPolicy(string Mode, int MaximumRetries = 0)
{
    public const string No = "no";
    public const string OnFailure = "on-failure";
    public const string Always = "always";
    public const string UnlessStopped = "unless-stopped";

    public static readonly RestartPolicy None = new(No);

    /// <summary>docker's back-off: the first restart waits this long, each quick one after it twice the last.</summary>
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(1);
    /// <summary>A run at least this long starts the back-off over.</summary>
    private static readonly TimeSpan SteadyRun = TimeSpan.FromSeconds(10);

    public bool Restarts => Mode != No;

    /// <summary>no, on-failure, on-failure:N (N of 1 or more), always or unless-stopped, as docker run --restart takes them.</summary>
    public static RestartPolicy Parse(string value)
    {
        string[] parts = value.Trim().ToLowerInvariant().Split(':', 2);
        string mode = parts[0];
        if (parts.Length == 1 && mode is No or OnFailure or Always or UnlessStopped)
            return mode == No ? None : new RestartPolicy(mode);
        if (parts.Length == 2 && mode == OnFailure && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int retries) && retries > 0)
            return new RestartPolicy(mode, retries);
        throw new EngineException("InvalidRestartPolicy", ErrorKind.InvalidArgument, value,
            $"'{value}' is not a restart policy: -Restart takes no, on-failure, on-failure:N (N restarts at most), always or unless-stopped");
    }

    /// <summary>
    /// As docker refuses --restart with --rm: a container deleted at its exit cannot be started again. Nor can one on
    /// a terminal here: its terminal goes to the session that starts it, and a restart has none to give it to.
    /// </summary>
    public void CheckWith(bool autoRemove, bool terminal)
    {
        if (Restarts && autoRemove)
            throw new EngineException("RestartWithAutoRemove", ErrorKind.InvalidArgument, ToString(),
                $"-Restart {this} and -Remove cannot go together: a container deleted once it exits is never started again");
        if (Restarts && terminal)
            throw new EngineException("RestartWithTerminal", ErrorKind.InvalidArgument, ToString(),
                $"-Restart {this} and -Interactive cannot go together: a restart has no terminal to connect the container to");
    }

    /// <summary>Whether a run that ended with <paramref name="exitCode"/> (null: unknown) after <paramref name="restarts"/> restarts is followed by another.</summary>
    public bool RestartsAfter(int? exitCode, int restarts) => Mode switch
    {
        Always or UnlessStopped => true,
        OnFailure => exitCode != 0 && (MaximumRetries == 0 || restarts < MaximumRetries),
        _ => false,
    };

    /// <summary>How long to wait before the next start: 100 ms after a run of 10 s or more (or the first time), else twice the last wait, at most a minute.</summary>
    public static TimeSpan Backoff(TimeSpan ran, TimeSpan lastBackoff) =>
        ran >= SteadyRun || lastBackoff <= TimeSpan.Zero ? FirstBackoff
            : TimeSpan.FromTicks(Math.Min(lastBackoff.Ticks * 2, LongestBackoff.Ticks));

    public override string ToString() => MaximumRetries > 0 ? $"{Mode}:{MaximumRetries.ToString(CultureInfo.InvariantCulture)}" : Mode;
}
