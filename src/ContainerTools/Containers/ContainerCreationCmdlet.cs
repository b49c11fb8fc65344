using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Completers;
using ContainerTools.Core.Images;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Registry;
using ContainerTools.Core.Networking;
using ContainerTools.Core.Runtime;
using ContainerTools.Images;
using ContainerTools.Transforms;

namespace ContainerTools.Containers;

/// <summary>
/// The parameters New-Container and Invoke-ContainerImage share: what to run and how, its resource limits, and
/// how to get a missing image (as `docker run` does, with the registry parameters of Request-ContainerImage).
/// </summary>
public abstract class ContainerCreationCmdlet : RegistryCmdlet, IDynamicParameters
{
    /// <summary>An image from Get-ContainerImage binds by value as its ToString: its name, or its id when it has none.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public string[]? Command { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public string[]? Entrypoint { get; set; }

    [Parameter]
    [NameValueTransformation]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    [Parameter]
    [NameValueTransformation(Bare = BareName.EmptyValue)]
    public Hashtable? Label { get; set; }

    /// <summary>The signal a stop sends first (name or number), in place of the image's STOPSIGNAL or SIGTERM, as docker run --stop-signal.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StopSignal { get; set; }

    /// <summary>Seconds a stop waits after that signal before SIGKILL (10 unless given), as docker run --stop-timeout.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? StopTimeout { get; set; }

    /// <summary>A shell command line that probes its health while it runs (exit 0: healthy), as docker run --health-cmd; in place of the image's HEALTHCHECK.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HealthCommand { get; set; }

    /// <summary>Seconds between health probes (30 unless the image says otherwise), as docker run --health-interval.</summary>
    [Parameter]
    [ValidateRange(0.01, MaxSeconds)]
    public double? HealthInterval { get; set; }

    /// <summary>Seconds a health probe may take before it counts as failed (30 unless the image says otherwise).</summary>
    [Parameter]
    [ValidateRange(0.01, MaxSeconds)]
    public double? HealthTimeout { get; set; }

    /// <summary>Seconds after a start in which failed probes do not count (0 unless the image says otherwise).</summary>
    [Parameter]
    [ValidateRange(0, MaxSeconds)]
    public double? HealthStartPeriod { get; set; }

    /// <summary>Failed probes in a row that make it unhealthy (3 unless the image says otherwise).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? HealthRetries { get; set; }

    /// <summary>A year: no health setting needs more, and every value up to it is a TimeSpan.</summary>
    private const double MaxSeconds = 365 * 24 * 3600;

    /// <summary>Probes nothing, whatever the image's HEALTHCHECK says, as docker run --no-healthcheck.</summary>
    [Parameter]
    public SwitchParameter NoHealthCheck { get; set; }

    /// <summary>What its monitor does when its command ends, as docker run --restart: no, on-failure[:N], always or unless-stopped.</summary>
    [Parameter]
    [ArgumentCompletions(RestartPolicy.No, RestartPolicy.OnFailure, RestartPolicy.Always, RestartPolicy.UnlessStopped)]
    [ValidateNotNullOrEmpty]
    public string? Restart { get; set; }

    [Parameter]
    public PullPolicy Pull { get; set; } = PullPolicy.Missing;

    /// <summary>A network of the store, "none" (loopback only) or "host"; the default bridge network when omitted.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPAddress { get; set; }

    /// <summary>Ports to publish, as docker writes them: '8080:80', '127.0.0.1:5353:53/udp', ranges '8080-8081:80-81'; '80' or '127.0.0.1::80' picks a free host port.</summary>
    [Parameter]
    [Alias("p")]
    public string[]? Publish { get; set; }

    [Parameter]
    public string[]? NetworkAlias { get; set; }

    /// <summary>Extra /etc/hosts entries as name:address (db:10.0.0.5), as docker run --add-host.</summary>
    [Parameter]
    public string[]? AddHost { get; set; }

    /// <summary>Name servers for /etc/resolv.conf in place of the host's, as docker run --dns.</summary>
    [Parameter]
    public string[]? Dns { get; set; }

    /// <summary>Search domains in place of the host's ('.' for none), as docker run --dns-search.</summary>
    [Parameter]
    public string[]? DnsSearch { get; set; }

    /// <summary>Resolver options (ndots:2, timeout:1) in place of the host's, as docker run --dns-option.</summary>
    [Parameter]
    public string[]? DnsOption { get; set; }

    /// <summary>Capabilities to add to Docker's default set (ALL for every one), as docker run --cap-add.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(CapabilityCompleter))]
    public string[]? CapabilityAdd { get; set; }

    /// <summary>Capabilities to remove from the set (ALL for every one), as docker run --cap-drop.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(CapabilityCompleter))]
    public string[]? CapabilityDrop { get; set; }

    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>seccomp=unconfined, seccomp=&lt;profile.json&gt;, no-new-privileges[=true|false], as docker run --security-opt.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SecurityOptionCompleter))]
    public string[]? SecurityOption { get; set; }

    /// <summary>Resource limits as name=soft[:hard], e.g. nofile=1024:2048, as docker run --ulimit.</summary>
    [Parameter]
    public string[]? Ulimit { get; set; }

    /// <summary>Mounts the container's root file system read-only.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>name:/path[:ro] (a named volume, created if missing) or /host/path:/path[:ro] (a bind mount), as docker run -v.</summary>
    [Parameter]
    [Alias("v")]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    public string[]? Volume { get; set; }

    /// <summary>A tmpfs at /path[:size=64m,mode=1777,...], as docker run --tmpfs.</summary>
    [Parameter]
    public string[]? Tmpfs { get; set; }

    /// <summary>Host (the default: container root is host root) or Auto (a user namespace of its own over 65536 ids from /etc/subuid and /etc/subgid).</summary>
    [Parameter]
    public UserNamespaceMode UserNamespace { get; set; } = UserNamespaceMode.Host;

    protected LimitParameters Limits { get; } = new();

    public object GetDynamicParameters() => Limits;

    private ContainerLifecycle? _lifecycle;

    protected ContainerLifecycle Lifecycle => _lifecycle ??= new ContainerLifecycle(new ContainerStore(Store), Path.Combine(ModuleDirectory, "ctmon"));

    /// <summary>
    /// Creates the container from the store's image and the parameters; with <paramref name="terminal"/> its init
    /// gets a terminal, with <paramref name="autoRemove"/> it is deleted once it has exited.
    /// </summary>
    protected ContainerSnapshot CreateContainer(bool terminal = false, bool autoRemove = false)
    {
        // Checked before a missing image is pulled: bad input is refused at once.
        var resolver = ResolverSettings.Parse(AddHost, Dns, DnsSearch, DnsOption);
        var restart = Restart is null ? null : RestartPolicy.Parse(Restart);
        restart?.CheckWith(autoRemove, terminal);
        var images = new ImageStore(Store);
        return Lifecycle.Store.Create(ContainerImage.FromStore(images, EnsureImage(images), Image), new ContainerOptions
        {
            Name = Name,
            Command = Command,
            // -Entrypoint '' binds one empty string: like docker run --entrypoint "", it clears the image's.
            Entrypoint = Entrypoint is [""] ? [] : Entrypoint,
            Environment = Strings(Environment),
            WorkingDirectory = WorkingDirectory,
            User = User,
            Hostname = Hostname,
            Labels = Strings(Label),
            StopSignal = StopSignal,
            StopTimeout = StopTimeout,
            // Chosen now and recorded, so it is kept over restarts; not one another container of the store keeps.
            Network = NetworkSettings.Parse(Network, IPAddress, Publish, NetworkAlias)
                .WithHostPortsChosen(Lifecycle.Store.PublishedPorts()),
            Resolver = resolver,
            Limits = Limits.ToLimits(),
            CapabilityAdd = CapabilityAdd,
            CapabilityDrop = CapabilityDrop,
            Privileged = Privileged,
            SecurityOptions = SecurityOption?.Select(WithFullProfilePath).ToList(),
            Ulimits = Ulimit,
            ReadOnly = ReadOnly,
            Volumes = Volume?.Select(WithFullBindSource).ToList(),
            Tmpfs = Tmpfs,
            UserNamespace = UserNamespace,
            Terminal = terminal,
            AutoRemove = autoRemove,
            Restart = restart,
            HealthCommand = HealthCommand,
            HealthInterval = Seconds(HealthInterval),
            HealthTimeout = Seconds(HealthTimeout),
            HealthStartPeriod = Seconds(HealthStartPeriod),
            HealthRetries = HealthRetries,
            NoHealthCheck = NoHealthCheck,
        });
    }

    /// <summary>The image the user named, from the store, pulled first when the policy asks for it (Always, or Missing and absent).</summary>
    private ImageRecord EnsureImage(ImageStore images)
    {
        if (Pull != PullPolicy.Always && images.TryResolve(Image) is { } stored)
            return stored;
        string activity = $"Pulling {Image}";
        var unpack = new ImageProgressWriter(this, 0, activity);
        var thread = new PipelineThread();
        var image = thread.Run(new ImagePuller(images, Options).EnsureAsync(Image, Pull, PlatformSelector.Host,
            thread.Progress<TransferProgress>(p => WriteTransfer(activity, p)), thread.Progress<ImageProgress>(unpack.Report), StopToken));
        unpack.Complete();
        return image;
    }

    /// <summary>A seccomp profile path is relative to the PowerShell location, which the process's directory is not.</summary>
    private string WithFullProfilePath(string option)
    {
        int separator = option.IndexOfAny(['=', ':']);
        if (separator < 0 || !option[..separator].Trim().Equals("seccomp", StringComparison.OrdinalIgnoreCase))
            return option;
        string value = option[(separator + 1)..].Trim();
        return value.Length == 0 || value.Equals("unconfined", StringComparison.OrdinalIgnoreCase)
            ? option
            : "seccomp=" + SessionState.Path.GetUnresolvedProviderPathFromPSPath(value);
    }

    /// <summary>
    /// A bind source written relative to the PowerShell location (./data:/x, ~/data:/x) made absolute; names stay names.
    /// Without a ':' it is no source but a path in the container, which must be absolute: ./data alone is left for the
    /// core to refuse, not made an anonymous volume at the host's current path.
    /// </summary>
    private string WithFullBindSource(string volume)
    {
        int colon = volume.IndexOf(':');
        if ((!volume.StartsWith('.') && !volume.StartsWith('~')) || colon < 0)
            return volume;
        return SessionState.Path.GetUnresolvedProviderPathFromPSPath(volume[..colon]) + volume[colon..];
    }

    private static TimeSpan? Seconds(double? seconds) => seconds is double value ? TimeSpan.FromSeconds(value) : null;

    private static Dictionary<string, string>? Strings(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(
            e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!,
            e => Convert.ToString(e.Value, CultureInfo.InvariantCulture) ?? "",
            StringComparer.Ordinal);
}
