namespace ContainerTools.Core.Runtime;

/// <summary>linux.resources of the OCI config (also the document `ctrun update -r` reads), in the spec's names and units.</summary>
public sealed record SpecResources
{
    public SpecMemory? Memory { get; init; }
    public SpecCpu? Cpu { get; init; }
    public SpecPids? Pids { get; init; }
    public SpecBlockIo? BlockIO { get; init; }
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
