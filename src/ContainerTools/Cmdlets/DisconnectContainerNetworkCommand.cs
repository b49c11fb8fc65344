using System.Management.Automation;
using ContainerTools.Completers;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Networking;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Disconnect-ContainerNetwork: takes a container off a network (docker network disconnect), kept over restarts;
/// a running one at once.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerNetworkInfo))]
public sealed class DisconnectContainerNetworkCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string Network { get; set; } = "";

    /// <summary>The container's id, id prefix or name; from the pipeline a string, or the Id of a container object.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Container { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Container, $"Disconnect from network '{Network}'"))
            return;
        Try(() =>
        {
            new ContainerConnections(new ContainerStore(Store)).Disconnect(Container, Network);
            if (PassThru)
                WriteObject(new NetworkStore(Store).Get(Network));
        });
    }
}
