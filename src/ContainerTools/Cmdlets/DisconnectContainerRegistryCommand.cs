using System.Management.Automation;
using ContainerTools.Core.Registry;

namespace ContainerTools.Cmdlets;

/// <summary>Disconnect-ContainerRegistry: removes a stored login (podman logout).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerRegistry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
public sealed class DisconnectContainerRegistryCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegistryNameCompleter))]
    public string[] Registry { get; set; } = [];

    [Parameter]
    public string? AuthFile { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string registry in Registry)
        {
            Try(() =>
            {
                var file = AuthFiles.Resolve(this, AuthFile);
                if (ShouldProcess(registry, $"Remove the stored login from {file.Path}"))
                    RegistryLogin.Disconnect(registry, file);
            });
        }
    }
}
