using System.Management.Automation;
using ContainerTools.Completers;
using ContainerTools.Core.Volumes;

namespace ContainerTools.Cmdlets;

/// <summary>Remove-ContainerVolume: deletes volumes and their data; refuses one a container uses unless -Force.</summary>
[Cmdlet(VerbsCommon.Remove, "ContainerVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerVolumeCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Remove it even though stopped containers name it (never while one runs).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var volumes = new VolumeStore(Store);
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Remove container volume and its data"))
                Try(() => volumes.Remove(name, Force));
        }
    }
}
