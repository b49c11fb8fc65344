using System.Management.Automation;
using ContainerTools.Core.Images.Archives;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Export-ContainerImage: writes an image as an OCI archive (default) or a docker-archive, like `docker save`.</summary>
[Cmdlet(VerbsData.Export, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerImageCommand : ContainerToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string? Id { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public ExportFormat Format { get; set; } = ExportFormat.Oci;

    protected override void ProcessRecord()
    {
        string image = "";
        TryTerminating(() => image = ImageTarget.Of([Name!], [Id!]).First());
        string file = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(file, $"Export image {image}"))
            return;
        var progress = new ImageProgressWriter(this, 1, $"Exporting {image}");
        Try(() =>
        {
            ImageExporter.Export(Store, image, file, Format, progress);
            WriteFileItem(file);
        }, file);
        progress.Complete();
    }
}
