using System.Management.Automation;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Transforms;

namespace ContainerTools.Containers;

/// <summary>
/// The resource limit parameters, with Docker's names and units, shared as dynamic parameters by
/// New-Container, Invoke-ContainerImage and Set-ContainerLimit (their other parameters come from
/// different bases). The core validates the values; this class only gathers them.
/// </summary>
public sealed class LimitParameters
{
    /// <summary>Memory limit in bytes: 512MB, 536870912 or "512m".</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? Memory { get; set; }

    /// <summary>Memory plus swap in bytes; -1 for unlimited swap.</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? MemorySwap { get; set; }

    [Parameter]
    public double? Cpus { get; set; }

    [Parameter]
    public long? CpuShares { get; set; }

    [Parameter]
    public string? CpusetCpus { get; set; }

    [Parameter]
    public long? PidsLimit { get; set; }

    [Parameter]
    public int? BlkioWeight { get; set; }

    /// <summary>"device:rate" items such as /dev/sda:10mb.</summary>
    [Parameter]
    public string[]? DeviceReadBps { get; set; }

    [Parameter]
    public string[]? DeviceWriteBps { get; set; }

    /// <summary>The limits given (unvalidated; a malformed device rate is an EngineException).</summary>
    public ResourceLimits ToLimits() => new(
        Memory, MemorySwap, Cpus, CpuShares, CpusetCpus, PidsLimit, BlkioWeight,
        DeviceReadBps?.Select(DeviceRate.Parse).ToList(),
        DeviceWriteBps?.Select(DeviceRate.Parse).ToList());
}
