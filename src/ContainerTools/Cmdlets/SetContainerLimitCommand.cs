using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Set-ContainerLimit: changes resource limits, live on a running container and recorded for its next start (`docker update`).</summary>
[Cmdlet(VerbsCommon.Set, "ContainerLimit", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerInfo))]
public sealed class SetContainerLimitCommand : ContainerTargetCmdlet, IDynamicParameters
{
    private readonly LimitParameters _limits = new();

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    public object GetDynamicParameters() => _limits;

    protected override void Process(string target)
    {
        var limits = _limits.ToLimits();
        var container = Lifecycle.Store.Find(target);
        // Here rather than once at the start: the record names the container the call was for, piped or not.
        if (limits.IsEmpty)
            throw new EngineException("NoLimitGiven", ErrorKind.InvalidArgument, container.Name,
                "Give at least one limit to change, such as -Memory 256MB, -Cpus 1.5 or -PidsLimit 100.");
        if (!ShouldProcess(container.Name, "Set resource limits"))
            return;
        var changed = new ContainerResources(Lifecycle.Store).SetLimits(container.Id, limits);
        if (PassThru)
            WriteContainer(changed);
    }
}
