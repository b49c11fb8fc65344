using System.Management.Automation;
using ContainerTools.Completers;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Networking;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Connect-ContainerNetwork: joins a container to one more network (docker network connect), kept over restarts;
/// a running one at once, one that is not running at its next start.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerNetworkInfo))]
public sealed class ConnectContainerNetworkCommand : ContainerToolsCmdlet
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
    [ValidateNotNullOrEmpty]
    public string? IPAddress { get; set; }

    [Parameter]
    [Alias("NetworkAlias")]
    public string[]? Alias { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Container, $"Connect to network '{Network}'"))
            return;
        Try(() =>
        {
            new ContainerConnections(new ContainerStore(Store)).Connect(Container, new EndpointRequest(Network, IPAddress, Alias));
            if (PassThru)
                WriteObject(new NetworkStore(Store).Get(Network));
        });
    }
}
