using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Get-ContainerProcess: the processes inside a running container, like `docker top`; a name with wildcards lists
/// those of every container it matches, each process naming its container.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = ByName)]
[OutputType(typeof(ContainerProcessInfo))]
public sealed class GetContainerProcessCommand : ContainerTargetCmdlet
{
    protected override void Process(string target)
    {
        foreach (var container in Matching(target))
            WriteObject(ContainerProcesses.List(Lifecycle.Store, container.Id), enumerateCollection: true);
    }
}
