namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>An "archMap" entry: when the machine is <see cref="Architecture"/>, the filter also covers the sub-architectures.</summary>
public sealed record SeccompArchMap(string Architecture, IReadOnlyList<string> SubArchitectures);
