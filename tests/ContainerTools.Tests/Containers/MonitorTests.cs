using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;
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

    [Fact]
    public void SettledMonitorExecsIntoWatchModeKeepingItsPidItsInitAndItsLog()
    {
        // The line still half written when the container settles holds the hand-over back until it is whole.
        var container = _run.Start("sh", "-c", "echo before; printf half; sleep 1; echo ' line'; sleep 300");
        var monitor = container.State.Monitor!;
        Assert.True(SpinWait.SpinUntil(() => IsWatching(monitor.Pid), TimeSpan.FromSeconds(30)), "monitor: " + CommandLine(monitor.Pid));
        // The same process (pid and start time: Stop, Wait and Get-Container still know it), one thread left beside
        // the runtime's finalizer, the init still its child, and back in the host's namespaces.
        Assert.True(monitor.IsAlive);
        Assert.True(Directory.GetDirectories($"/proc/{monitor.Pid}/task").Length <= 2);
        Assert.Equal(monitor.Pid, ParentOf(container.State.Init!.Pid));
        foreach (string ns in new[] { "mnt", "net", "uts", "ipc", "pid" })
            Assert.Equal(Namespace(Environment.ProcessId, ns), Namespace(monitor.Pid, ns));
        // SIGHUP is still ignored: the monitor lives on to record how the container ends.
        Assert.Equal(0, Linux.kill(monitor.Pid, Signals.SIGHUP));
        _run.Lifecycle.Stop(container.Id, TimeSpan.Zero);
        var ended = _run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal(137, ended.State.ExitCode);
        Assert.Equal(new List<(string, string)> { (LogEntry.Stdout, "before"), (LogEntry.Stdout, "half line") }, Logged(_run.Containers.Paths(container.Id).Log));
    }

    [Fact]
    public async Task AMonitorInTheMidstOfItsHandOverIsStillAliveAndItsContainerRunning()
    {
        // While the monitor's init thread execve's, the kernel shows the process's first thread as a zombie
        // (/proc/PID/stat "Z") until the exec takes its pid over: a reader then must not see the container exit.
        const int Starts = 3;
        var seenDead = new List<string>();
        for (int i = 0; i < Starts; i++)
        {
            var container = _run.Start("sleep", "300");
            var monitor = container.State.Monitor!;
            var watching = Task.Run(() => SpinWait.SpinUntil(() => IsWatching(monitor.Pid), TimeSpan.FromSeconds(30)), TestContext.Current.CancellationToken);
            while (!watching.IsCompleted)
            {
                if (!monitor.IsAlive)
                    seenDead.Add($"start {i}: monitor {monitor.Pid} read as exited");
                var read = _run.Containers.Read(container.Id);
                if (read is not { IsRunning: true })
                    seenDead.Add($"start {i}: container read as {read?.Status}");
            }
            Assert.True(await watching, "monitor: " + CommandLine(monitor.Pid));
            Assert.True(_run.Containers.Read(container.Id)!.IsRunning);
            _run.Lifecycle.Stop(container.Id, TimeSpan.Zero);
            _run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        Assert.Empty(seenDead.Distinct());
    }

    [Fact]
    public void WatcherLetsGoOfItsStartupPagesAndWatchesOn()
    {
        var container = _run.Start("sh", "-c", "until [ -e /go ]; do sleep 0.1; done; echo after; sleep 300");
        var monitor = container.State.Monitor!;
        // Started, ctmon maps some 4.5 MiB of its own and libc's pages; once watching it keeps the few its loop uses.
        Assert.True(SpinWait.SpinUntil(() => IsWatching(monitor.Pid) && ResidentFileKilobytes(monitor.Pid) < 2048, TimeSpan.FromSeconds(30)),
            $"monitor {CommandLine(monitor.Pid)}: RssFile {ResidentFileKilobytes(monitor.Pid)} kB");
        // Its code comes back when used: a line, Stop and the end are handled as ever.
        File.WriteAllText($"/proc/{container.State.Init!.Pid}/root/go", "");
        string log = _run.Containers.Paths(container.Id).Log;
        Assert.True(SpinWait.SpinUntil(() => Logged(log).Count == 1, TimeSpan.FromSeconds(30)));
        _run.Lifecycle.Stop(container.Id, TimeSpan.Zero);
        Assert.Equal(137, _run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken).State.ExitCode);
        Assert.Equal([(LogEntry.Stdout, "after")], Logged(log));
    }

    private static int ResidentFileKilobytes(int pid) =>
        int.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("RssFile:", StringComparison.Ordinal))[8..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void ContainerThatEndsBeforeItSettlesKeepsItsMonitorUntilTheEnd()
    {
        var (code, stdout, _) = _run.Run(new ContainerOptions { Command = ["sh", "-c", "echo quick; exit 3"] });
        Assert.Equal(3, code);
        Assert.Equal("quick", stdout);
    }

    /// <summary>Execve'd into watch mode, and named ctmon again (at first it is "exe", after /proc/self/exe).</summary>
    internal static bool IsWatching(int pid) =>
        CommandLine(pid).StartsWith($"ctmon\0{MonitorHandOver.Mode}\0", StringComparison.Ordinal) && File.ReadAllText($"/proc/{pid}/comm") == "ctmon\n";

    private static string CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline");

    private static int ParentOf(int pid) =>
        int.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Namespace(int pid, string name) => new FileInfo($"/proc/{pid}/ns/{name}").LinkTarget!;

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
