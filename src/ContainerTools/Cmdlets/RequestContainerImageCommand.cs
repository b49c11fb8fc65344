using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;

namespace ContainerTools.Cmdlets;

/// <summary>Request-ContainerImage: pulls images from a registry into the store (docker pull).</summary>
[Cmdlet(VerbsLifecycle.Request, "ContainerImage")]
[OutputType(typeof(PullResult))]
public sealed class RequestContainerImageCommand : RegistryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    public string[] Name { get; set; } = [];

    [Parameter]
    public string? Platform { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    protected override PSCredential? GivenCredential => Credential;

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            Try(() =>
            {
                var reference = ImageReference.Parse(name);
                var platform = Platform is null ? PlatformSelector.Host : PlatformSelector.Parse(Platform);
                var puller = new ImagePuller(new ImageStore(Store), Options);
                string activity = $"Pulling {reference.Familiar}";
                using var thread = new PipelineThread();
                var result = thread.Run(puller.PullAsync(reference, platform,
                    thread.Progress<TransferProgress>(p => WriteTransfer(activity, p)),
                    thread.Progress<ImageProgress>(p => WriteProgress(new ProgressRecord(0, activity, p.Activity)
                    {
                        PercentComplete = p.Total > 0 ? p.Done * 100 / p.Total : -1,
                    })),
                    Cancellation));
                WriteProgress(new ProgressRecord(0, activity, "Done") { RecordType = ProgressRecordType.Completed });
                WriteObject(result);
            });
        }
    }
}
