using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Get-ContainerProcess: the processes inside a running container, like `docker top`.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = ByName)]
[OutputType(typeof(ContainerProcessInfo))]
public sealed class GetContainerProcessCommand : ContainerTargetCmdlet
{
    protected override void Process(string target)
    {
        foreach (var process in ContainerProcesses.List(new ContainerStore(Store), target))
            WriteObject(process);
    }
}
