using System.Management.Automation;
using ContainerTools.Completers;
using ContainerTools.Core.Networking;

namespace ContainerTools.Cmdlets;

/// <summary>Remove-ContainerNetwork: deletes networks and their bridges; refuses one in use unless -Force.</summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerNetworkCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Disconnect the containers that use the network first.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var networks = new NetworkStore(Store);
        foreach (var name in Name)
        {
            if (ShouldProcess(name, Force ? "Remove container network, disconnecting its containers" : "Remove container network"))
                Try(() => networks.Remove(name, Force));
        }
    }
}
