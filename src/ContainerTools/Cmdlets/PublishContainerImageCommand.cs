using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Publish-ContainerImage: pushes a stored image to a registry (docker push).</summary>
[Cmdlet(VerbsData.Publish, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PushResult))]
public sealed class PublishContainerImageCommand : RegistryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Position = 1)]
    public string? Destination { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var destination = Destination is null ? null : ImageReference.Parse(Destination);
            if (!ShouldProcess(destination?.ToString() ?? Name, "Publish image " + Name))
                return;
            var pusher = new ImagePusher(new ImageStore(Store), Options);
            string activity = $"Pushing {destination?.Familiar ?? Name}";
            var thread = new PipelineThread();
            var result = thread.Run(pusher.PushAsync(Name, destination, thread.Progress<TransferProgress>(p => WriteTransfer(activity, p)), StopToken));
            WriteProgress(new ProgressRecord(0, activity, "Done") { RecordType = ProgressRecordType.Completed });
            WriteObject(result);
        }, Destination ?? Name);
    }
}
