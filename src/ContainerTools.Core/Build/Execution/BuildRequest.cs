using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;

namespace ContainerTools.Core.Build.Execution;

/// <summary>What Build-ContainerImage asks for.</summary>
public sealed record BuildRequest
{
    /// <summary>The build context directory.</summary>
    public required string Context { get; init; }

    /// <summary>The Dockerfile; null means Dockerfile (else Containerfile) in the context.</summary>
    public string? Dockerfile { get; init; }

    public IReadOnlyList<ImageReference> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> Arguments { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public bool NoCache { get; init; }

    /// <summary>Missing pulls a base image (FROM, COPY --from) the store lacks; Always refreshes each one (docker build --pull).</summary>
    public PullPolicy Pull { get; init; } = PullPolicy.Missing;

    /// <summary>How to reach the registries base images are pulled from.</summary>
    public RegistryOptions Registry { get; init; } = new();
}
