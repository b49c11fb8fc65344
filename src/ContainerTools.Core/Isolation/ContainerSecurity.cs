using ContainerTools.Core.Isolation.Seccomp;
using CapabilityNames = ContainerTools.Core.Isolation.Capabilities;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// Everything security-related a container runs with, worked out and checked when it is created, so an
/// unknown capability, a bad ulimit or a malformed profile is an error before anything exists.
/// </summary>
public sealed record ContainerSecurity(
    IReadOnlyList<string> Capabilities,
    bool NoNewPrivileges,
    bool Privileged,
    SeccompProfile? Seccomp,
    IReadOnlyList<Ulimit> Ulimits)
{
    /// <summary>Docker's defaults: its capability set, no_new_privs (as Podman), the default seccomp profile.</summary>
    public static ContainerSecurity Default { get; } = new(CapabilityNames.DockerDefault, true, false, SeccompProfile.Default, []);

    /// <summary>
    /// The security of a container from its options. Privileged means what docker run --privileged means for
    /// the process: every capability this engine holds itself and no seccomp filter (the caller also leaves /proc
    /// and /sys unmasked).
    /// </summary>
    public static ContainerSecurity From(
        IEnumerable<string>? capabilityAdd = null,
        IEnumerable<string>? capabilityDrop = null,
        bool privileged = false,
        IEnumerable<string>? securityOptions = null,
        IEnumerable<string>? ulimits = null)
    {
        var options = SecurityOptions.Parse(securityOptions);
        var capabilities = CapabilityChanges.Apply(CapabilityNames.DockerDefault, capabilityAdd, capabilityDrop, privileged, BoundingSet.OfThisProcess());
        var limits = (ulimits ?? []).Select(Ulimit.Parse).ToList();
        var duplicate = limits.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new EngineException("InvalidUlimit", ErrorKind.InvalidArgument, duplicate.Key, $"The ulimit '{duplicate.Key}' is given more than once.");

        SeccompProfile? seccomp = options switch
        {
            { SeccompUnconfined: true } => null,
            { SeccompProfilePath: { } path } => SeccompProfile.Load(path),
            _ when privileged => null,
            _ => SeccompProfile.Default,
        };
        return new ContainerSecurity(capabilities, options.NoNewPrivileges ?? true, privileged, seccomp, limits);
    }

    /// <summary>The file in <paramref name="cache"/> holding the program the init loads, or null when the container runs without a filter.</summary>
    public string? SeccompFile(SeccompFilterCache cache) => Seccomp is null ? null : cache.FileOf(Seccomp, Capabilities);
}
