using System.Management.Automation;
using ContainerTools.Core.Networking;

namespace ContainerTools.Cmdlets;

/// <summary>New-ContainerNetwork: a bridge network containers can join (docker network create).</summary>
[Cmdlet(VerbsCommon.New, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerNetworkInfo))]
public sealed class NewContainerNetworkCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subnet { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    [Parameter]
    public SwitchParameter Internal { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create container network"))
            return;
        Try(() => WriteObject(new NetworkStore(Store).Create(Name, Subnet, Gateway, Internal)));
    }
}
