using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Runtime;
using ContainerTools.Images;

namespace ContainerTools.Containers;

/// <summary>A container as the cmdlets show it (Get-Container, New-Container, ...): a snapshot, never live.</summary>
public sealed class ContainerInfo
{
    internal ContainerInfo(ContainerSnapshot snapshot)
    {
        var record = snapshot.Record;
        var state = snapshot.State;
        Id = record.Id;
        Name = record.Name;
        Image = record.Image;
        ImageId = record.ImageId;
        Command = string.Join(' ', record.Command.Select(Quote));
        Created = record.Created;
        Status = state.Status.ToString();
        ExitCode = state.Status == ContainerStatus.Exited ? state.ExitCode : null;
        StartedAt = state.StartedAt;
        FinishedAt = state.Status == ContainerStatus.Exited ? state.FinishedAt : null;
        Pid = snapshot.IsRunning ? state.Init?.Pid : null;
        Hostname = record.Hostname;
        Labels = record.Labels;
        OomKilled = state.OomKilled;
        Error = state.Error;
        Networks = record.Network.Networks.Select(n => n.Network).ToList();
        Network = record.Network.JoinsNetwork ? string.Join(", ", Networks) : record.Network.Mode;
        var endpoints = snapshot.Network?.Endpoints ?? [];
        IPAddress = endpoints.FirstOrDefault()?.IPAddress;
        IPAddresses = endpoints.ToDictionary(e => e.Network, e => e.IPAddress ?? "", StringComparer.Ordinal);
        Ports = string.Join(", ", endpoints.SelectMany(e => e.Ports));
        Limits = record.Limits;
        AutoRemove = record.AutoRemove;
        Privileged = record.Privileged;
        RestartPolicy = record.Restart.ToString();
        Health = snapshot.Health?.Status;
        HealthLog = snapshot.Health?.Log ?? [];
        RestartCount = state.RestartCount;
        Restarting = state.Restarting;
        StopSignal = Signals.Name(record.StopSignal);
        StopTimeout = record.StopTimeout;
        Volumes = record.Volumes;
        ExtraHosts = record.Resolver.ExtraHosts.Select(entry => entry.Name + ":" + entry.Address).ToList();
        Dns = record.Resolver.Servers;
        DnsSearch = record.Resolver.Search;
        DnsOptions = record.Resolver.Options;
    }

    public string Id { get; }
    public string ShortId => Id[..12];
    public string Name { get; }
    public string Image { get; }
    public string? ImageId { get; }
    public string Command { get; }
    public DateTime Created { get; }
    /// <summary>Created, Running, Paused or Exited.</summary>
    public string Status { get; }
    /// <summary>0-255 or 128+signal once exited; null while not exited or when it cannot be known (its monitor was killed).</summary>
    public int? ExitCode { get; }
    public DateTime? StartedAt { get; }
    public DateTime? FinishedAt { get; }
    /// <summary>The host pid of the container's PID 1 while it runs.</summary>
    public int? Pid { get; }
    public string Hostname { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public bool OomKilled { get; }
    /// <summary>Why the last start failed, if it did.</summary>
    public string? Error { get; }
    /// <summary>The networks it joins at each start, as docker ps shows them ("front, back"), or "none" or "host".</summary>
    public string Network { get; }
    /// <summary>The networks it joins at each start, the first as eth0, as Connect- and Disconnect-ContainerNetwork left them.</summary>
    public IReadOnlyList<string> Networks { get; }
    /// <summary>Its address on its first network while it runs.</summary>
    public string? IPAddress { get; }
    /// <summary>Network name to address, for every network it is connected to while it runs.</summary>
    public IReadOnlyDictionary<string, string> IPAddresses { get; }
    /// <summary>Published ports while it runs, as docker ps shows them: 127.0.0.1:8080->80/tcp.</summary>
    public string Ports { get; }
    /// <summary>The resource limits in force (null values are unlimited), as recorded and applied at each start.</summary>
    public ResourceLimits Limits { get; }
    /// <summary>Deleted once it has exited (Invoke-ContainerImage -Remove, docker run --rm).</summary>
    public bool AutoRemove { get; }
    /// <summary>While it runs with a health check: starting, healthy or unhealthy; else null.</summary>
    public string? Health { get; }
    /// <summary>Its last health probes (at most five), newest last: when, exit code (-1: timed out) and output.</summary>
    public IReadOnlyList<HealthProbe> HealthLog { get; }
    /// <summary>What its monitor does when its command ends: no, on-failure[:N], always or unless-stopped (-Restart).</summary>
    public string RestartPolicy { get; }
    /// <summary>How many times its restart policy started it again since the last Start-Container.</summary>
    public int RestartCount { get; }
    /// <summary>Exited, and its monitor waits out a back-off to start it again (its restart policy).</summary>
    public bool Restarting { get; }
    /// <summary>Every capability and device, /proc and /sys writable (-Privileged).</summary>
    public bool Privileged { get; }
    /// <summary>The signal Stop-Container sends first (SIGTERM unless -StopSignal or the image said otherwise).</summary>
    public string StopSignal { get; }
    /// <summary>Seconds a stop waits after the stop signal before SIGKILL, unless the stop gives its own -Timeout.</summary>
    public int StopTimeout { get; }
    /// <summary>The volumes it mounts, by name (anonymous ones too).</summary>
    public IReadOnlyList<string> Volumes { get; }
    /// <summary>Its extra /etc/hosts entries (-AddHost), as name:address.</summary>
    public IReadOnlyList<string> ExtraHosts { get; }
    /// <summary>Name servers, search domains and resolver options that replace the host's in its /etc/resolv.conf (-Dns, -DnsSearch, -DnsOption).</summary>
    public IReadOnlyList<string> Dns { get; }
    public IReadOnlyList<string> DnsSearch { get; }
    public IReadOnlyList<string> DnsOptions { get; }

    /// <summary>As `docker ps` says it: "Up 3 minutes", "Exited (0) 2 seconds ago", "Restarting (1) 1 second ago", "Created".</summary>
    public string StatusText => Status switch
    {
        nameof(ContainerStatus.Running) => "Up " + Since(StartedAt) + HealthText,
        nameof(ContainerStatus.Paused) => "Up " + Since(StartedAt) + " (Paused)",
        nameof(ContainerStatus.Exited) => $"{(Restarting ? "Restarting" : "Exited")} ({(ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown")}) {HumanReadable.Ago(FinishedAt is { } f ? new DateTimeOffset(f, TimeSpan.Zero) : null)}",
        _ => Status,
    };

    /// <summary>As docker ps adds it: " (healthy)", " (unhealthy)", " (health: starting)".</summary>
    private string HealthText => Health switch
    {
        null => "",
        ContainerHealth.Starting => " (health: starting)",
        _ => $" ({Health})",
    };

    public override string ToString() => Name;

    private static string Since(DateTime? time)
    {
        string ago = HumanReadable.Ago(time is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null);
        return ago.EndsWith(" ago", StringComparison.Ordinal) ? ago[..^4] : ago;
    }

    private static string Quote(string arg) => arg.Length == 0 || arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}
