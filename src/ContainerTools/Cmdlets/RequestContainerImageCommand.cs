using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Request-ContainerImage: pulls images from a registry into the store (docker pull).</summary>
[Cmdlet(VerbsLifecycle.Request, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerImageInfo))]
public sealed class RequestContainerImageCommand : RegistryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public string? Platform { get; set; }

    protected override void ProcessRecord()
    {
        var platform = PlatformSelector.Host;
        if (Platform is not null)
            TryTerminating(() => platform = PlatformSelector.Parse(Platform));
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, "Pull image"))
                continue;
            Try(() =>
            {
                var reference = ImageReference.Parse(name);
                var puller = new ImagePuller(new ImageStore(Store), Options);
                string activity = $"Pulling {reference.Familiar}";
                var unpack = new ImageProgressWriter(this, 0, activity);
                var thread = new PipelineThread();
                var result = thread.Run(puller.PullAsync(reference, platform,
                    thread.Progress<TransferProgress>(p => WriteTransfer(activity, p)), thread.Progress<ImageProgress>(unpack.Report), StopToken));
                unpack.Complete();
                WriteInformation($"{reference.Familiar}: {result.ManifestDigest}, downloaded {result.Downloaded} blob(s) ({HumanReadable.Size(result.BytesDownloaded)}), {result.Present} already present",
                    ["ContainerTools", "Pull"]);
                string? given = reference.Tag is null ? null : (reference with { Digest = null }).ToString();
                WriteObject(new ContainerImageInfo(result.Image, given));
            }, name);
        }
    }
}
