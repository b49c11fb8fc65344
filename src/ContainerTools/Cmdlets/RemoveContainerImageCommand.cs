using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Remove-ContainerImage: untags a name, and deletes the image with its last name (or when given by id),
/// with the blobs and unpacked layers no other image shares, like `docker rmi`.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveContainerImageCommand : ContainerToolsCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>Deletes an image that has several names when given by id; untags one that containers still use.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var images = new ImageStore(Store);
        foreach (string image in ParameterSetName == ById ? Id : Name)
        {
            Try(() =>
            {
                if (!ShouldProcess(image, "Remove image"))
                    return;
                var removal = images.Remove(image, Force, new ContainerStore(Store));
                foreach (string name in removal.Untagged)
                    WriteVerbose($"Untagged: {ImageReference.Parse(name).Familiar}");
                if (removal.DeletedId is not null)
                    WriteVerbose($"Deleted: {removal.DeletedId}");
            });
        }
    }
}
