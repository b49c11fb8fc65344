using System.Management.Automation;
using ContainerTools.Core.Build.Execution;

namespace ContainerTools.Build;

/// <summary>
/// Shows a build as PowerShell shows work: the step in a progress bar, RUN output on the information stream
/// the way Write-Host writes (visible, and capturable with 6>&amp;1), warnings as warnings. The builder calls
/// these on the cmdlet's own thread.
/// </summary>
internal sealed class BuildProgressWriter(Cmdlet cmdlet, string activity) : IBuildObserver
{
    private const int ActivityId = 8;

    public void Step(int number, int total, string stage, string createdBy, bool cached)
    {
        string status = $"[{stage}] step {number}/{total}: {createdBy}{(cached ? " (cached)" : "")}";
        cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, status) { PercentComplete = Math.Clamp((number - 1) * 100 / Math.Max(total, 1), 0, 100) });
        cmdlet.WriteVerbose(status);
    }

    public void Output(string line) =>
        cmdlet.WriteInformation(new HostInformationMessage { Message = line }, ["PSHOST", "Build"]);

    public void Warning(string message) => cmdlet.WriteWarning(message);

    public void Pulling(string image)
    {
        string status = "pulling " + image;
        cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, status));
        cmdlet.WriteVerbose(status);
    }

    public void Complete() =>
        cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, "done") { RecordType = ProgressRecordType.Completed });
}
