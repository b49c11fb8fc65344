using System.Globalization;
using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;
using ContainerTools.Transforms;

namespace ContainerTools.Cmdlets;

/// <summary>Get-ContainerLog: a container's stdout and stderr lines, in order, like `docker logs`.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = ByName)]
[OutputType(typeof(string))]
public sealed class GetContainerLogCommand : ContainerTargetCmdlet
{

    /// <summary>Only the last n lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only lines written at or after this time.</summary>
    [Parameter]
    [SinceTransformation]
    public DateTime? Since { get; set; }

    /// <summary>Prefixes each line with its time (RFC 3339, UTC).</summary>
    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    /// <summary>Keeps writing new lines until the container exits (or Ctrl+C).</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    protected override void Process(string target)
    {
        var matches = Matching(target);
        // Log lines are strings that do not say whose they are: one container's, as docker logs reads.
        if (matches.Count > 1)
            throw new EngineException("SeveralContainersMatch", ErrorKind.InvalidArgument, target,
                $"'{target}' matches several containers ({string.Join(", ", matches.Select(c => c.Name))}): name one, as docker logs takes one");
        if (matches.Count == 0)
            return;
        var container = matches[0];
        var past = LogFollower.Read(Lifecycle.Store, container.Id, follow: false, StopToken).Where(Wanted).ToList();
        long end = LogFollower.End(Lifecycle.Store, container.Id);
        foreach (var entry in Tail is { } tail ? past.TakeLast(tail) : past)
            WriteObject(Format(entry));
        if (!Follow)
            return;
        try
        {
            foreach (var entry in LogFollower.Read(Lifecycle.Store, container.Id, follow: true, StopToken, end).Where(Wanted))
                WriteObject(Format(entry));
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C ends following, not the container.
        }
    }

    private bool Wanted(LogEntry entry) => Since is null || entry.Time >= Since.Value.ToUniversalTime();

    private string Format(LogEntry entry) =>
        Timestamps ? entry.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + " " + entry.Log : entry.Log;


}
