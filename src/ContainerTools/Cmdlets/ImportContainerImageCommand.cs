using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Archives;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Import-ContainerImage: an OCI layout (dir or tar), a docker-archive or a root file system tarball into the store.</summary>
[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerImageInfo))]
public sealed class ImportContainerImageCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        ImageReference? name = null;
        if (Name is not null)
            TryTerminating(() => name = ImageReference.Parse(Name));
        foreach (string path in Path)
        {
            string file = GetUnresolvedProviderPathFromPSPath(path);
            if (!ShouldProcess(file, Name is null ? "Import image" : $"Import image as {Name}"))
                continue;
            var progress = new ImageProgressWriter(this, 1, "Importing " + file);
            Try(() =>
            {
                foreach (var imported in ImageImporter.Import(Store, file, name, progress))
                {
                    if (imported.Names.Count == 0)
                        WriteObject(new ContainerImageInfo(imported.Image, null));
                    foreach (string given in imported.Names)
                        WriteObject(new ContainerImageInfo(imported.Image, given));
                }
            }, file);
            progress.Complete();
        }
    }
}
