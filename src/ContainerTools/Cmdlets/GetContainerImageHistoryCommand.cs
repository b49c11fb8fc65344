using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Get-ContainerImageHistory: the steps that made an image, newest first, like `docker history`.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerImageHistory", DefaultParameterSetName = ByName)]
[OutputType(typeof(ContainerImageHistoryInfo))]
public sealed class GetContainerImageHistoryCommand : ContainerToolsCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    protected override void ProcessRecord()
    {
        var images = new ImageStore(Store);
        foreach (string image in ParameterSetName == ById ? Id : Name)
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
