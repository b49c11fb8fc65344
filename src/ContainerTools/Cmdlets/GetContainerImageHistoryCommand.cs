using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Get-ContainerImageHistory: the steps that made an image, newest first, like `docker history`.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerImageHistory")]
[OutputType(typeof(ContainerImageHistoryInfo))]
public sealed class GetContainerImageHistoryCommand : ContainerToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [AllowNull]
    [AllowEmptyString]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        var images = new ImageStore(Store);
        IEnumerable<string> targets = [];
        TryTerminating(() => targets = ImageTarget.Of(Name, Id));
        foreach (string image in targets)
        {
            Try(() =>
            {
                var record = images.Resolve(image);
                foreach (var item in record.History.Reverse())
                    WriteObject(new ContainerImageHistoryInfo(record, item));
            });
        }
    }
}
