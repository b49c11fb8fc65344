using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>The monitor's steady state: one thread copies both output streams into ctr.log, whole lines each.</summary>
public sealed class MonitorTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly ContainerRunner _run;

    public MonitorTests() => _run = new ContainerRunner(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void RunningMonitorHasNoThreadPerStreamNorSocketEngine()
    {
        var container = _run.Start("sh", "-c", "echo started; echo warned >&2; sleep 300");
        string log = _run.Containers.Paths(container.Id).Log;
        // Both lines logged means the shell ran and the monitor's pump is in its steady state.
        Assert.True(SpinWait.SpinUntil(() => Logged(log).Count == 2, TimeSpan.FromSeconds(30)), "logged: " + string.Join(", ", Logged(log)));
        int monitor = container.State.Monitor!.Pid;
        var threads = Directory.GetDirectories($"/proc/{monitor}/task").Select(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n')).ToList();
        // Main (the pump), the runtime's finalizer and signal threads, and the thread that started the init.
        Assert.True(threads.Count <= 4, "monitor threads: " + string.Join(", ", threads));
        Assert.DoesNotContain(".NET Sockets", threads);
        Assert.DoesNotContain("stdout", threads);
        _run.Lifecycle.Stop(container.Id, TimeSpan.Zero);
        _run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var logged = Logged(log);
        Assert.Equal(2, logged.Count);
        Assert.Contains((LogEntry.Stdout, "started"), logged);
        Assert.Contains((LogEntry.Stderr, "warned"), logged);
    }

    private static List<(string Stream, string Log)> Logged(string log)
    {
        var entries = new List<LogEntry>();
        ContainerLog.Read(log, 0, entries);
        return entries.Select(e => (e.Stream, e.Log)).ToList();
    }

    [Fact]
    public void LinesLongerThanOneReadAndUnterminatedLastLinesAreLoggedWhole()
    {
        var (code, stdout, stderr) = _run.Run(new ContainerOptions
        {
            Command = ["sh", "-c", "head -c 40000 /dev/zero | tr '\\0' x; echo; printf 'no newline'; printf 'err tail' >&2"],
        });
        Assert.Equal(0, code);
        Assert.Equal(new string('x', 40000) + "\nno newline", stdout);
        Assert.Equal("err tail", stderr);
    }
}
