namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// The resource limits of a container, in Docker's terms. A null value is "not set": the group inherits
/// the default (unlimited) when created and keeps its current value when updated.
/// </summary>
/// <param name="Memory">Bytes of memory (RAM).</param>
/// <param name="MemorySwap">Bytes of memory plus swap; -1 is unlimited swap. Unset with Memory set: as much swap as memory.</param>
/// <param name="Cpus">CPU time as a number of cores, such as 1.5 (a CFS quota over a 100 ms period).</param>
/// <param name="CpuShares">Relative CPU weight, 2..262144 (1024 is the default).</param>
/// <param name="CpusetCpus">The CPUs the processes may run on, such as "0-1,3".</param>
/// <param name="PidsLimit">Most processes and threads at once; -1 is unlimited.</param>
/// <param name="BlkioWeight">Relative block I/O weight, 10..1000.</param>
/// <param name="DeviceReadBps">Read throttles per block device.</param>
/// <param name="DeviceWriteBps">Write throttles per block device.</param>
public sealed record ResourceLimits(
    long? Memory = null,
    long? MemorySwap = null,
    double? Cpus = null,
    long? CpuShares = null,
    string? CpusetCpus = null,
    long? PidsLimit = null,
    int? BlkioWeight = null,
    IReadOnlyList<DeviceRate>? DeviceReadBps = null,
    IReadOnlyList<DeviceRate>? DeviceWriteBps = null)
{
    public static ResourceLimits None { get; } = new();

    /// <summary>Sets no limit at all.</summary>

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Equals(None);

    /// <summary>These limits with every value <paramref name="changes"/> sets replacing ours (what Set-ContainerLimit records).</summary>
    public ResourceLimits With(ResourceLimits changes) => new(
        changes.Memory ?? Memory,
        changes.MemorySwap ?? MemorySwap,
        changes.Cpus ?? Cpus,
        changes.CpuShares ?? CpuShares,
        changes.CpusetCpus ?? CpusetCpus,
        changes.PidsLimit ?? PidsLimit,
        changes.BlkioWeight ?? BlkioWeight,
        changes.DeviceReadBps ?? DeviceReadBps,
        changes.DeviceWriteBps ?? DeviceWriteBps);

    /// <summary>What is limited, in Docker's terms and units ("Memory=64MiB, Cpus=0.5"), or "none".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null)
                parts.Add($"{name}={value}");
        }
        Add(nameof(Memory), Memory is long m ? ByteSize.Format(m) : null);
        Add(nameof(MemorySwap), MemorySwap is long s ? s == -1 ? "unlimited" : ByteSize.Format(s) : null);
        Add(nameof(Cpus), Cpus?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(nameof(CpuShares), CpuShares);
        Add(nameof(CpusetCpus), CpusetCpus);
        Add(nameof(PidsLimit), PidsLimit is -1 ? "unlimited" : PidsLimit);
        Add(nameof(BlkioWeight), BlkioWeight);
        Add(nameof(DeviceReadBps), DeviceReadBps is null ? null : string.Join(' ', DeviceReadBps));
        Add(nameof(DeviceWriteBps), DeviceWriteBps is null ? null : string.Join(' ', DeviceWriteBps));
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>The swap-inclusive memory limit the kernel gets: Docker's rule of "as much swap as memory" when unset.</summary>
    internal long? EffectiveMemorySwap => MemorySwap ?? (Memory is long memory ? memory * 2 : null);
}
