using ContainerTools.Core.Isolation.Cgroups;

namespace ContainerTools.Core.Runtime;

/// <summary>What the user asked for when creating a container; null means "what the image says".</summary>
public sealed record ContainerOptions
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    public string? User { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    /// <summary>docker run --stop-signal and --stop-timeout (seconds): how a stop ends it.</summary>
    public string? StopSignal { get; init; }
    public int? StopTimeout { get; init; }
    /// <summary>Null: the default bridge network.</summary>
    public Networking.NetworkSettings? Network { get; init; }
    /// <summary>Extra /etc/hosts entries and the resolver's servers, search domains and options (docker run --add-host, --dns...).</summary>
    public Networking.ResolverSettings? Resolver { get; init; }
    public ResourceLimits? Limits { get; init; }
    /// <summary>name:/path[:ro], /host/path:/path[:ro] or /path[:ro] (an anonymous volume), as docker run -v.</summary>
    public IReadOnlyList<string>? Volumes { get; init; }
    /// <summary>/path[:options], as docker run --tmpfs.</summary>
    public IReadOnlyList<string>? Tmpfs { get; init; }

    // Security, as docker run's --cap-add, --cap-drop, --privileged, --security-opt, --ulimit, --read-only
    // (checked by Isolation.ContainerSecurity.From before anything is created).
    public IReadOnlyList<string>? CapabilityAdd { get; init; }
    public IReadOnlyList<string>? CapabilityDrop { get; init; }
    public bool Privileged { get; init; }
    public IReadOnlyList<string>? SecurityOptions { get; init; }
    public IReadOnlyList<string>? Ulimits { get; init; }
    public bool ReadOnly { get; init; }
    public Isolation.UserNamespaces.UserNamespaceMode UserNamespace { get; init; }

    /// <summary>docker run --health-cmd, --health-interval, --health-timeout, --health-start-period, --health-retries
    /// and --no-healthcheck: each given one in place of the image's HEALTHCHECK field.</summary>
    public string? HealthCommand { get; init; }
    public TimeSpan? HealthInterval { get; init; }
    public TimeSpan? HealthTimeout { get; init; }
    public TimeSpan? HealthStartPeriod { get; init; }
    public int? HealthRetries { get; init; }
    public bool NoHealthCheck { get; init; }

    /// <summary>docker run --restart: what its monitor does when its command ends.</summary>
    public Containers.RestartPolicy? Restart { get; init; }

    /// <summary>docker run --rm: deleted once it has exited, by whoever is attached to it, else by its monitor.</summary>
    public bool AutoRemove { get; init; }

    /// <summary>docker run -t: the init gets a terminal, which it sends to whoever starts it attached (see InteractiveStart).</summary>
    public bool Terminal { get; init; }
}

/// <summary>The image a container is made from: its reference, id, config and layer directories (bottom first).</summary>
public sealed record ContainerImage(string Reference, string? Id, ImageDefaults Defaults, IReadOnlyList<string> LayerDirectories)
{
    /// <summary>An image of the store, by name or id (NotFound when it has none such).</summary>
    public static ContainerImage FromStore(Images.ImageStore images, string nameOrId) => FromStore(images, images.Resolve(nameOrId), nameOrId);

    /// <summary>An image of the store already resolved from <paramref name="nameOrId"/> (a caller that resolved it to pull it when missing).</summary>
    public static ContainerImage FromStore(Images.ImageStore images, Images.ImageRecord image, string nameOrId)
    {
        var config = image.Config;
        var defaults = new ImageDefaults
        {
            Env = config.Env,
            Entrypoint = config.Entrypoint,
            Cmd = config.Cmd,
            WorkingDir = config.WorkingDir,
            User = config.User,
            StopSignal = config.StopSignal,
            Volumes = config.Volumes,
            Healthcheck = config.Healthcheck,
        };
        // Shown as the user named it (busybox:latest), or by short id when it was named by id.
        string reference = Images.ImageReference.TryParse(nameOrId, out var named) && image.Names.Contains(named.ToString())
            ? named.Familiar
            : image.ShortId;
        return new ContainerImage(reference, image.Id, defaults, image.Layers.Select(l => images.LayerDirectory(l.ChainId)).ToList());
    }
}
