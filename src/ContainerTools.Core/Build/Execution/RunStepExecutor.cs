using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Build.Execution;

/// <summary>
/// Runs a RUN step in a container of our own runtime on an overlay of the layers so far, streams its output,
/// and hands its upper directory (what it changed) to be written as a layer. The container is removed
/// whatever happens, so a failed or cancelled build leaves none behind; one whose build was killed (-9) is
/// removed by the next build, which knows it by the label naming its builder's process.
/// </summary>
public sealed class RunStepExecutor(ContainerLifecycle lifecycle)
{
    private const string StepLabel = "containertools.build.step";
    private const string BuilderLabel = "containertools.build.pid";
    private const int TailLines = 10;
    // The error quotes the end of each of its last lines: one line of megabytes (no newline) must not become the message.
    private const int TailLineLength = 2000;

    /// <param name="layers">Layer directories, bottom first (at least one).</param>
    /// <param name="captureChanges">Called with the upper directory once the command has exited with 0.</param>
    public void Run(RunStep step, IReadOnlyList<string> layers, string where, Action<string> output, Action<string> captureChanges, CancellationToken cancel)
    {
        var image = new ContainerImage("build", null, new ImageDefaults
        {
            Env = step.Environment,
            WorkingDir = step.Settings.WorkingDir.Length == 0 ? "/" : step.Settings.WorkingDir,
            User = step.Settings.User,
        }, layers);
        var container = lifecycle.Store.Create(image, new ContainerOptions
        {
            Command = step.Argv,
            Entrypoint = [],
            Labels = new Dictionary<string, string>
            {
                [StepLabel] = step.CreatedBy,
                [BuilderLabel] = ProcessStamp.Current,
            },
        });
        try
        {
            var tail = new Queue<string>();
            int seen = 0;
            void Show(string line)
            {
                output(line);
                tail.Enqueue(line.Length > TailLineLength ? "…" + line[^TailLineLength..] : line);
                if (tail.Count > TailLines)
                    tail.Dequeue();
            }
            Start(container, step, where);
            foreach (var entry in LogFollower.Read(lifecycle.Store, container.Id, follow: true, cancel))
            {
                Show(entry.Log);
                seen++;
            }
            var ended = lifecycle.Wait(container.Id, null, cancel);
            // Once the monitor has ended every line is in the log, also those a very short RUN wrote after following stopped.
            foreach (var entry in LogFollower.Read(lifecycle.Store, container.Id, follow: false, cancel).Skip(seen))
                Show(entry.Log);
            if (ended.State.ExitCode != 0)
                throw new EngineException("BuildRunFailed", ErrorKind.InvalidOperation, step.CreatedBy,
                    $"{where}: {step.CreatedBy} failed with exit code {ended.State.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}"
                    + (ended.State.Error is { } error ? $" ({error})" : "")
                    + (tail.Count > 0 ? ":" + Environment.NewLine + string.Join(Environment.NewLine, tail) : ""));
            captureChanges(lifecycle.Store.Paths(container.Id).Upper);
        }
        finally
        {
            lifecycle.Remove(container.Id, force: true);
        }
    }

    /// <summary>Removes the RUN containers of builds whose process is gone (killed before its own removal ran), stopping any still running.</summary>
    public void RemoveAbandoned()
    {
        foreach (var container in lifecycle.Store.List())
        {
            var labels = container.Record.Labels;
            if (!labels.ContainsKey(StepLabel) || !labels.TryGetValue(BuilderLabel, out string? builder) || ProcessStamp.IsAlive(builder))
                continue;
            try
            {
                lifecycle.Remove(container.Id, force: true);
            }
            catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Another build removed it first.
            }
        }
    }

    /// <summary>A RUN whose container cannot start (an unknown USER, no /bin/sh in the image) fails as its step, not as a throwaway container the user never named.</summary>
    private void Start(ContainerSnapshot container, RunStep step, string where)
    {
        try
        {
            lifecycle.Start(container.Id);
        }
        catch (EngineException e) when (e.ErrorId == "ContainerStartFailed")
        {
            string prefix = $"container {container.Name} did not start: ";
            string reason = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
            throw new EngineException("BuildRunFailed", ErrorKind.InvalidOperation, step.CreatedBy, $"{where}: {step.CreatedBy} could not start: {reason}", e);
        }
    }
}
