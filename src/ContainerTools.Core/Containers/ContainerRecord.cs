using ContainerTools.Core.Isolation.Cgroups;

namespace ContainerTools.Core.Containers;

/// <summary>
/// What a container is (container.json): written at creation, changed by a rename, Set-ContainerLimit and
/// Connect-/Disconnect-ContainerNetwork, always under the container's lock. What it is doing lives apart, in
/// <see cref="ContainerState"/>, written by its monitor.
/// </summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Image { get; init; }
    public string? ImageId { get; init; }
    public required DateTime Created { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    public required string Hostname { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Signal number Stop-Container sends first (-StopSignal, else the image's StopSignal, else SIGTERM).</summary>
    public int StopSignal { get; init; } = 15;
    /// <summary>Seconds a stop waits after that signal before SIGKILL, unless the stop names its own (-StopTimeout, else 10).</summary>
    public int StopTimeout { get; init; } = ContainerRecord.DefaultStopTimeout;

    /// <summary>docker's and podman's default wait before SIGKILL.</summary>
    public const int DefaultStopTimeout = 10;
    /// <summary>The networks it joins when it starts (-Network, -IPAddress, -Publish, -NetworkAlias, and connects and disconnects since).</summary>
    public Networking.NetworkSettings Network { get; init; } = new();
    /// <summary>Its extra /etc/hosts entries and resolver settings (-AddHost, -Dns, -DnsSearch, -DnsOption), applied at every start.</summary>
    public Networking.ResolverSettings Resolver { get; init; } = Networking.ResolverSettings.None;
    /// <summary>The resource limits in force: given at creation, changed by Set-ContainerLimit, applied at every start.</summary>
    public ResourceLimits Limits { get; init; } = ResourceLimits.None;
    /// <summary>The volumes it mounts (-Volume name:/path, anonymous ones too): a volume is in use while any container names it.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>Those of <see cref="Volumes"/> made up for it (-Volume /path, the image's VOLUMEs): removed with it by -Volumes or -AutoRemove.</summary>
    public IReadOnlyList<string> AnonymousVolumes { get; init; } = [];
    /// <summary>docker run --privileged: every capability, device and path of /proc and /sys (see ContainerSecurity).</summary>
    public bool Privileged { get; init; }
    /// <summary>How its health is probed while it runs (the image's HEALTHCHECK or -Health*); null: never.</summary>
    public HealthCheck? HealthCheck { get; init; }
    /// <summary>What its monitor does when its command ends (docker run --restart).</summary>
    public RestartPolicy Restart { get; init; } = RestartPolicy.None;
    /// <summary>Deleted once it has exited (docker run --rm): by the session attached to it, or by its monitor when none is.</summary>
    public bool AutoRemove { get; init; }
    /// <summary>Its host ids when it has a user namespace of its own (-UserNamespace Auto); null: the host's.</summary>
    public Isolation.UserNamespaces.ContainerIds? UserNamespace { get; init; }
}
