using System.Management.Automation;
using ContainerTools.Core.Registry;

namespace ContainerTools.Cmdlets;

/// <summary>Connect-ContainerRegistry: checks a credential against a registry and stores it (podman login).</summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerRegistry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(RegistryLogin))]
public sealed class ConnectContainerRegistryCommand : RegistryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Registry { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    public override PSCredential? Credential { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Registry, "Check and store the login"))
            return;
        Try(() =>
        {
            var thread = new PipelineThread();
            WriteObject(thread.Run(RegistryLogin.ConnectAsync(Registry, Options, StopToken)));
        }, Registry);
    }
}
