using System.Management.Automation;
using ContainerTools.Completers;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Remove-ContainerNetwork: deletes networks and their bridges; refuses one in use unless -Force, which removes its containers (podman network rm -f).</summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerNetworkCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Remove the containers that join the network first, running ones killed (podman network rm -f).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var removal = new NetworkRemoval(new ContainerLifecycle(new ContainerStore(Store), ContainerTargetCmdlet.MonitorExecutable));
        foreach (var name in Name)
        {
            IReadOnlyList<string> containers = [];
            if (Force)
                Try(() => containers = removal.ContainersOn(name));
            string action = containers.Count == 0 ? "Remove container network"
                : $"Remove container network and the containers that join it: {string.Join(", ", containers)}";
            if (ShouldProcess(name, action))
                Try(() => removal.Remove(name, Force));
        }
    }
}
