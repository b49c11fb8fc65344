namespace ContainerTools.Core.Registry;

/// <summary>How to talk to a registry: credentials, transport security, where stored logins live, retries.</summary>
public sealed record RegistryOptions
{
    /// <summary>Explicit credentials; when null the auth file's entry for the registry is used (if any).</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>Accept any TLS certificate (a registry with a self-signed certificate).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>Fall back to plain HTTP for any host (it is always allowed for loopback hosts).</summary>
    public bool AllowHttp { get; init; }

    /// <summary>Where logins are stored and read; the default follows containers-auth.json(5).</summary>
    public AuthFile AuthFile { get; init; } = AuthFile.Default();

    /// <summary>Attempts for a request that fails transiently (connection refused, 5xx, 429) before giving up.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before the second attempt; it doubles for each one after.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest Retry-After (of a 429 or 503) waited for; a registry asking for more is given up at once.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a request or download may receive nothing before it is given up (a pull can be run again).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Blobs downloaded or uploaded at once.</summary>
    public int Parallelism { get; init; } = 4;
}
