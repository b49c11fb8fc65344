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
        // A wildcard finds what runs, as Get-Process's does: a stopped container it matches has no processes, and is no error.
        bool wildcard = WildcardPattern.ContainsWildcardCharacters(target);
        foreach (var container in Matching(target).Where(c => c.IsRunning || !wildcard))
            Try(() => WriteObject(ContainerProcesses.List(Lifecycle.Store, container.Id), enumerateCollection: true), container.Name);
    }
}
