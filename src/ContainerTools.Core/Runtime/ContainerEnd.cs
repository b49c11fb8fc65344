using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A running container's end as its monitor records it: its state file replaced (<see cref="DirectoryChanges"/>) or
/// its monitor gone. Watched from before anything that could end it (a stop signal), so no record of the end is
/// missed. The wait is over when the state says so, not when the monitor process has exited: the monitor lets go of
/// the container as it writes that state, and the ~1 ms of its own teardown is no part of anyone's wait.
/// </summary>
public sealed class ContainerEnd : IDisposable
{
    private readonly ContainerStore _store;
    private readonly string _id;
    private readonly PidFd? _monitor;
    private readonly int _watch;

    private ContainerEnd(ContainerStore store, string id, PidFd? monitor, int watch)
    {
        _store = store;
        _id = id;
        _monitor = monitor;
        _watch = watch;
    }

    public static ContainerEnd Watch(ContainerStore store, ContainerSnapshot container)
    {
        int watch = DirectoryChanges.Watch(store.Paths(container.Id).Directory);
        return new ContainerEnd(store, container.Id, PidFd.Open(container.IsRunning ? container.State.Monitor : null), watch);
    }

    /// <summary>Waits until the container is no longer running (infinite when null); false when the timeout passed first.</summary>
    public bool Wait(TimeSpan? timeout, CancellationToken cancel = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_monitor is not null && _store.ReadState(_id) is { Status: ContainerStatus.Running or ContainerStatus.Paused })
        {
            var left = deadline - DateTime.UtcNow;
            // Another waiter of this process may have drained the event meant for us: the monitor's exit tells it too.
            int ready = PollWait.Any([_monitor.Descriptor, DirectoryChanges.Descriptor], left < TimeSpan.Zero ? TimeSpan.Zero : left, cancel);
            if (ready < 0)
                return false;
            if (ready == 0)
                return true;
            DirectoryChanges.Drain();
        }
        return true;
    }

    public void Dispose()
    {
        _monitor?.Dispose();
        DirectoryChanges.Unwatch(_watch);
    }
}
