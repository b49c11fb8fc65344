using System.Management.Automation;
using ContainerTools.Core.Images;

namespace ContainerTools.Images;

/// <summary>
/// Turns the engine's image progress into ProgressRecords. The engine reports from the cmdlet's own thread,
/// so records are written directly (WriteProgress may only be called from the pipeline thread).
/// </summary>
internal sealed class ImageProgressWriter(Cmdlet cmdlet, int activityId, string activity) : IProgress<ImageProgress>
{
    public void Report(ImageProgress value)
    {
        var record = new ProgressRecord(activityId, activity, $"{value.Activity}: {value.Item}");
        if (value.Total > 0)
            record.PercentComplete = Math.Clamp(value.Done * 100 / value.Total, 0, 100);
        cmdlet.WriteProgress(record);
    }

    public void Complete() =>
        cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "done") { RecordType = ProgressRecordType.Completed });
}
