namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// A rule's "includes" or "excludes": the capabilities, architectures (Go names: amd64, arm64, ...) and
/// minimum kernel under which the rule applies (includes) or does not (excludes).
/// </summary>
public sealed record SeccompRuleFilter(IReadOnlyList<string> Capabilities, IReadOnlyList<string> Architectures, Version? MinKernel)
{
    public static readonly SeccompRuleFilter None = new([], [], null);

    public bool IsEmpty => Capabilities.Count == 0 && Architectures.Count == 0 && MinKernel is null;
}
