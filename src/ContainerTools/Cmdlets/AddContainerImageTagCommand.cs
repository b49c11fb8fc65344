using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Add-ContainerImageTag: gives an image more names, like `docker tag`.</summary>
[Cmdlet(VerbsCommon.Add, "ContainerImageTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerImageInfo))]
public sealed class AddContainerImageTagCommand : ContainerToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string? Id { get; set; }

    /// <summary>The new names: repository[:tag] (":latest" when no tag is given), with a registry if wanted.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var images = new ImageStore(Store);
        string source = "";
        TryTerminating(() => source = ImageTarget.Of([Name!], [Id!]).First());
        foreach (string tag in Tag)
        {
            Try(() =>
            {
                var reference = ImageReference.Parse(tag);
                if (!ShouldProcess($"image {source}", $"Tag as {reference.Familiar}"))
                    return;
                var image = images.Tag(source, reference);
                if (PassThru)
                    WriteObject(new ContainerImageInfo(image, reference.ToString()));
            });
        }
    }
}
