using System.Management.Automation;
using ContainerTools.Core.Images.Archives;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Export-ContainerImage: writes an image as an OCI archive (default) or a docker-archive, like `docker save`.</summary>
[Cmdlet(VerbsData.Export, "ContainerImage", DefaultParameterSetName = ByName)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerImageCommand : ContainerToolsCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public ExportFormat Format { get; set; } = ExportFormat.Oci;

    protected override void ProcessRecord()
    {
        string image = ParameterSetName == ById ? Id : Name;
        string file = GetUnresolvedProviderPathFromPSPath(Path);
        var progress = new ImageProgressWriter(this, 1, $"Exporting {image}");
        Try(() =>
        {
            ImageExporter.Export(Store, image, file, Format, progress);
            WriteObject(new FileInfo(file));
        });
        progress.Complete();
    }
}
