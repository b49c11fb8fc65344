using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Build.Execution;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>ConvertTo-ContainerImage: `docker commit`. A container's changes become a new image.</summary>
[Cmdlet(VerbsData.ConvertTo, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerImageInfo))]
public sealed class ConvertToContainerImageCommand : ContainerToolsCmdlet
{
    /// <summary>The container (name or id); `Get-Container x | ConvertTo-ContainerImage` binds its Id, a piped string its name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Container { get; set; } = "";

    /// <summary>The name of the new image (repository[:tag]); nameless when omitted.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Dockerfile instructions applied to the config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, ...).</summary>
    [Parameter]
    public string[] Change { get; set; } = [];

    [Parameter]
    public string? Author { get; set; }

    [Parameter]
    public string? Message { get; set; }

    protected override void ProcessRecord()
    {
        ImageReference? name = null;
        if (Name is not null)
            TryTerminating(() => name = ImageReference.Parse(Name));
        Try(() =>
        {
            // Named as the table shows it: Get-Container | ConvertTo-ContainerImage binds the full id.
            string shown = new ContainerStore(Store).Find(Container).Name;
            if (!ShouldProcess(shown, name is null ? "Commit container to an image" : $"Commit container to image {name}"))
                return;
            var image = ContainerCommit.Commit(Store, Container, name, Change, Author, Message);
            WriteObject(new ContainerImageInfo(image, name?.ToString()));
        });
    }
}
