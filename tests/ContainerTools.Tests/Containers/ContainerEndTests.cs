using System.Diagnostics;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>
/// A container's end is what its monitor records: a wait is over as soon as the state says so, while the monitor
/// process may still be exiting, and a Remove returns only once that process is gone. A `sleep` stands in for the
/// monitor here, so the gap between the two is as long as the test wants.
/// </summary>
public sealed class ContainerEndTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly ContainerRunner _run;
    private readonly Process _monitor = Process.Start("sleep", "60");

    public ContainerEndTests() => _run = new ContainerRunner(_store);

    public void Dispose()
    {
        _monitor.Kill();
        _monitor.Dispose();
        _store.Dispose();
    }

    private string RecordState(string? id, ContainerStatus status)
    {
        id ??= _run.Create(new ContainerOptions { Command = ["true"] }).Id;
        var monitor = ProcessIdentity.Of(_monitor.Id);
        _run.Containers.WriteState(id, new ContainerState { Status = status, Monitor = monitor, Init = monitor, StartedAt = DateTime.UtcNow, ExitCode = status == ContainerStatus.Exited ? 3 : null });
        return id;
    }

    [Fact]
    public async Task AWaitEndsWhenTheEndIsRecordedWhileTheMonitorStillRuns()
    {
        var cancel = TestContext.Current.CancellationToken;
        string id = RecordState(null, ContainerStatus.Running);
        var waiting = Task.Run(() => _run.Lifecycle.Wait(id, TimeSpan.FromSeconds(20), cancel), cancel);
        await Task.Delay(300, cancel);
        Assert.False(waiting.IsCompleted);

        RecordState(id, ContainerStatus.Exited);
        var ended = await waiting.WaitAsync(TimeSpan.FromSeconds(5), cancel);
        Assert.Equal((ContainerStatus.Exited, 3), (ended.Status, ended.State.ExitCode));
        Assert.False(_monitor.HasExited);
    }

    [Fact]
    public async Task ARemoveReturnsOnlyOnceTheMonitorThatRecordedTheEndHasExited()
    {
        var cancel = TestContext.Current.CancellationToken;
        string id = RecordState(null, ContainerStatus.Exited);
        var stopwatch = Stopwatch.StartNew();
        var monitorExits = Task.Delay(500, cancel).ContinueWith(_ => _monitor.Kill(), cancel, TaskContinuationOptions.None, TaskScheduler.Default);

        _run.Lifecycle.Remove(id, force: false);

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(400), $"Remove returned after {stopwatch.Elapsed.TotalMilliseconds} ms, with the monitor still there");
        Assert.True(_monitor.HasExited);
        Assert.False(Directory.Exists(_run.Containers.Paths(id).Directory));
        await monitorExits;
    }
}
