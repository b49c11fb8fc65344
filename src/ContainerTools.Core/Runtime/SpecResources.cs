namespace ContainerTools.Core.Runtime;

/// <summary>linux.resources of the OCI config (also the document `ctrun update -r` reads), in the spec's names and units.</summary>
public sealed record SpecResources
{
    public SpecMemory? Memory { get; init; }
    public SpecCpu? Cpu { get; init; }
    public SpecPids? Pids { get; init; }
    public SpecBlockIo? BlockIO { get; init; }
    /// <summary>The device allow list, applied in order (the devices cgroup).</summary>
    public List<SpecDeviceRule>? Devices { get; init; }
}

/// <summary>One linux.resources.devices rule: allow or deny access (r, w, m) to a type (a, c, b) and major:minor (null: any).</summary>
public sealed record SpecDeviceRule
{
    public bool Allow { get; init; }
    public string? Type { get; init; }
    public long? Major { get; init; }
    public long? Minor { get; init; }
    public string? Access { get; init; }
}

public sealed record SpecMemory
{
    public long? Limit { get; init; }
    public long? Swap { get; init; }
}

public sealed record SpecCpu
{
    public ulong? Shares { get; init; }
    public long? Quota { get; init; }
    public ulong? Period { get; init; }
    public string? Cpus { get; init; }
}

public sealed record SpecPids
{
    public long Limit { get; init; }
}

public sealed record SpecBlockIo
{
    public ushort? Weight { get; init; }
}
