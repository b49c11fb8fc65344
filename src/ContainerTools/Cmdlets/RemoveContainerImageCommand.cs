using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Remove-ContainerImage: untags a name, and deletes the image with its last name (or when given by id),
/// with the blobs and unpacked layers no other image shares, like `docker rmi`.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerImageCommand : ContainerToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Deletes an image that has several names when given by id; untags one that containers still use.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var images = new ImageStore(Store);
        IEnumerable<string> targets = [];
        TryTerminating(() => targets = ImageTarget.Of(Name, Id));
        foreach (string image in targets)
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
