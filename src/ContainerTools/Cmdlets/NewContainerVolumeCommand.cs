using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ContainerTools.Core.Volumes;

namespace ContainerTools.Cmdlets;

/// <summary>New-ContainerVolume: a named volume containers can mount (docker volume create).</summary>
[Cmdlet(VerbsCommon.New, "ContainerVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerVolumeInfo))]
public sealed class NewContainerVolumeCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public Hashtable? Label { get; set; }

    protected override void ProcessRecord()
    {
        var labels = Label?.Cast<DictionaryEntry>().ToDictionary(
            e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!,
            e => Convert.ToString(e.Value, CultureInfo.InvariantCulture) ?? "",
            StringComparer.Ordinal);
        var volumes = new VolumeStore(Store);
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Create container volume"))
                Try(() => WriteObject(volumes.Create(name, labels)));
        }
    }
}
