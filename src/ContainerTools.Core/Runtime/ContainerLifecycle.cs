using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Networking;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Start, stop, wait for and remove containers. Each transition holds the container's lock, so two
/// processes acting on one container take turns; different containers never wait for each other.
/// </summary>
public sealed class ContainerLifecycle(ContainerStore store, string monitorExecutable)
{
    /// <summary>How long a monitor may take to write its last state after its container ended.</summary>
    private static readonly TimeSpan MonitorGrace = TimeSpan.FromSeconds(30);

    public ContainerStore Store { get; } = store;

    public ContainerSnapshot Start(string nameOrId)
    {
        var started = StartLocked(nameOrId);
        // A run that ended while we held the lock (a `true`) found it taken, so its monitor left the auto-remove to us.
        if (started.Record.AutoRemove && ContainerAttachment.NoneOn(Store.Paths(started.Id)) && Store.Read(started.Id) is { Status: ContainerStatus.Exited })
            RemoveEnded(started.Id);
        return started;
    }

    private ContainerSnapshot StartLocked(string nameOrId)
    {
        using var locked = Store.FindLocked(nameOrId);
        var container = locked.Container;
        // As docker and podman: a frozen container is resumed, not started, and saying nothing would look like a start.
        if (container.Status == ContainerStatus.Paused)
            throw new EngineException("ContainerPaused", ErrorKind.InvalidOperation, container.Name,
                $"container {container.Name} is paused: resume it, or restart it");
        // One waiting out its restart back-off starts by itself.
        if (container.IsRunning || container.State.Restarting)
            return container;
        // A start gives its restart policy back to it (a stop or removal had ended the restarts).
        if (container.Record.Restart.Restarts)
            File.Delete(Store.Paths(container.Id).StopRequested);
        // A monitor killed before its CNI DELs left them to us: do them before attaching again.
        new ContainerNetworking(Store.Location).Detach(container.Id);
        // A volume removed with -Force while the container was stopped comes back empty, as on first use.
        foreach (var volume in container.Record.Volumes)
            new Volumes.VolumeStore(Store.Location).Ensure(volume);
        EtcFiles.Write(Store.Paths(container.Id), container.Record);
        string? error = MonitorLauncher.Launch(monitorExecutable, Store.Location, container.Record);
        if (error is not null)
            throw new EngineException("ContainerStartFailed", ErrorKind.InvalidOperation, container.Name,
                $"container {container.Name} did not start: {error}");
        if (container.Record.HealthCheck is not null)
            HealthChecker.Launch(monitorExecutable, Store.Location, container.Id);
        return Store.Read(container.Id) ?? throw NotFound(nameOrId);
    }

    /// <summary>
    /// Sends the stop signal, waits up to <paramref name="timeout"/> (null: the container's own stop timeout), then
    /// SIGKILL; returns once its monitor recorded the end. An auto-remove container no session is attached to is
    /// removed then (its monitor leaves it to us).
    /// </summary>
    public ContainerSnapshot Stop(string nameOrId, TimeSpan? timeout = null, int? signal = null) => Stop(nameOrId, timeout, signal, keep: false);

    private ContainerSnapshot Stop(string nameOrId, TimeSpan? timeout, int? signal, bool keep)
    {
        using var locked = Store.FindLocked(nameOrId);
        var container = locked.Container;
        var ended = StopLocked(container.Id, timeout ?? TimeSpan.FromSeconds(container.Record.StopTimeout), signal ?? container.Record.StopSignal);
        if (!keep && ended.Record.AutoRemove && ended.Status == ContainerStatus.Exited && ContainerAttachment.NoneOn(Store.Paths(ended.Id)))
            RemoveLocked(ended);
        return ended;
    }

    /// <summary>Sends one signal to the container's PID 1 and returns at once.</summary>
    public ContainerSnapshot Kill(string nameOrId, int signal)
    {
        var container = Store.Find(nameOrId);
        using var init = PidFd.Open(container.IsRunning ? container.State.Init : null)
            ?? throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, container.Name, $"container {container.Name} is not running");
        init.Signal(signal);
        return container;
    }

    public ContainerSnapshot Restart(string nameOrId, TimeSpan? timeout = null)
    {
        // Kept even when it is auto-remove: it goes on running.
        var container = Stop(nameOrId, timeout, signal: null, keep: true);
        return Start(container.Id);
    }

    /// <summary>
    /// Waits until the container is not running and its restart policy starts it no more (or the timeout passes) and
    /// returns it as it is then. An
    /// auto-remove container is attached to meanwhile, and removed once it has exited unless another session
    /// attached to it is there to do it.
    /// </summary>
    public ContainerSnapshot Wait(string nameOrId, TimeSpan? timeout, CancellationToken cancel = default)
    {
        var container = Store.Find(nameOrId);
        using var attachment = container.Record.AutoRemove ? Attach(container.Id) : null;
        // One its restart policy starts again is waited for through its restarts: its monitor stays (same pid).
        using (var monitor = PidFd.Open(container.IsRunning || container.State.Restarting ? container.State.Monitor : null))
        {
            if (monitor is not null && !monitor.WaitForExit(timeout, cancel))
                throw new EngineException("WaitTimedOut", ErrorKind.ResourceBusy, container.Name,
                    $"container {container.Name} was still running after {timeout!.Value.TotalSeconds:0.###} s");
        }
        var ended = Store.Read(container.Id) ?? throw NotFound(nameOrId);
        if (attachment is not null && ended.Status == ContainerStatus.Exited && attachment.IsLast())
            RemoveEnded(ended.Id);
        return ended;
    }

    /// <summary>Attaches this session to an auto-remove container until disposed (see <see cref="ContainerAttachment"/>).</summary>
    public ContainerAttachment? Attach(string id) => ContainerAttachment.To(Store.Paths(id));

    /// <summary>
    /// Deletes a container. A running one is refused unless <paramref name="force"/>, which kills it first;
    /// <paramref name="anonymousVolumes"/> deletes its anonymous volumes with it (docker rm -v).
    /// </summary>
    public void Remove(string nameOrId, bool force, bool anonymousVolumes = false)
    {
        Store.RemoveLeftovers();
        using var locked = Store.FindLocked(nameOrId);
        var container = locked.Container;
        if (container.IsRunning)
        {
            if (!force)
                throw new EngineException("ContainerRunning", ErrorKind.ResourceBusy, container.Name,
                    $"container {container.Name} is {(container.Status == ContainerStatus.Paused ? "paused" : "running")}: stop it first or use -Force");
            StopLocked(container.Id, TimeSpan.Zero, Signals.SIGKILL);
        }
        RemoveLocked(container, anonymousVolumes);
    }

    /// <summary>Deletes an auto-remove container once it has ended, unless it was started again meanwhile.</summary>
    private void RemoveEnded(string id)
    {
        using var own = Store.Lock(id);
        if (own is not null && Store.Read(id) is { Status: ContainerStatus.Exited } ended)
            RemoveLocked(ended);
    }

    /// <summary>Deletes a container that is not running (an auto-remove one with its anonymous volumes); the caller holds its lock.</summary>
    private void RemoveLocked(ContainerSnapshot container, bool anonymousVolumes = false)
    {
        // A monitor waiting to restart it lets go at this.
        if (container.Record.Restart.Restarts)
            RequestStop(container.Id);
        // Held until its files are gone: a monitor its killed starter left still to take it then finds no container.
        using var idle = AwaitMonitor(container.Id);
        // Its monitor deletes the group when the container ends; a monitor killed first leaves it to us.
        Cgroups.Detect().Open(Cgroups.PathFor(container.Id))?.Delete();
        new ContainerNetworking(Store.Location).Detach(container.Id);
        Store.DeleteFiles(container.Id, anonymousVolumes);
    }

    private ContainerSnapshot StopLocked(string id, TimeSpan timeout, int signal)
    {
        var container = Store.Read(id) ?? throw NotFound(id);
        if (container.Record.Restart.Restarts)
        {
            // Before the signal: its monitor must not start it again when it ends.
            RequestStop(id);
            container = AwaitRestartDecision(Store.Read(id) ?? throw NotFound(id));
        }
        if (!container.IsRunning)
            return container;
        using var monitor = PidFd.Open(container.State.Monitor);
        using (var init = PidFd.Open(container.State.Init))
        {
            bool signalled = init is not null && init.Signal(signal);
            // A frozen process takes its signals only once thawed.
            if (container.Status == ContainerStatus.Paused)
                ContainerResources.GroupOf(id)?.Thaw();
            if (signalled && signal != Signals.SIGKILL && !init!.WaitForExit(timeout))
                init.Signal(Signals.SIGKILL);
        }
        // The container's end is recorded by its monitor; wait for that, not for a guess.
        if (monitor is not null && !monitor.WaitForExit(MonitorGrace))
            throw new TimeoutException($"the monitor of container {container.Name} did not record its end within {MonitorGrace.TotalSeconds} s");
        return Store.Read(id) ?? throw NotFound(id);
    }

    /// <summary>Tells the container's monitor to restart nothing from now on (see <see cref="RestartPolicy"/>), until a start.</summary>
    private void RequestStop(string id)
    {
        try
        {
            File.WriteAllBytes(Store.Paths(id).StopRequested, []);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed meanwhile: nothing left to restart.
        }
    }

    /// <summary>
    /// A container whose monitor waits out a restart back-off, once that monitor has seen the stop request (it then
    /// records the end as final and exits) or started the next run already (which the caller stops as any run).
    /// </summary>
    private ContainerSnapshot AwaitRestartDecision(ContainerSnapshot container)
    {
        if (!container.State.Restarting)
            return container;
        var deadline = DateTime.UtcNow + MonitorGrace;
        while (container.State.Restarting && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
            container = Store.Read(container.Id) ?? throw NotFound(container.Id);
        }
        if (container.State.Restarting)
            throw new TimeoutException($"the monitor of container {container.Name} did not leave its restart back-off within {MonitorGrace.TotalSeconds} s");
        if (container.IsRunning)
            return container;
        // It recorded a final end and exits: a stop returns once it has.
        using (var monitor = PidFd.Open(container.State.Monitor))
            monitor?.WaitForExit(MonitorGrace);
        return container;
    }

    /// <summary>
    /// Waits out a monitor still at work on a container that is not running (one starting it whose starter was
    /// killed: once it records Running, the container is stopped like any other; or one recording its end) and
    /// then its process's exit. Returns the container's monitor lock, held; null when the container is gone.
    /// </summary>
    private FileLock? AwaitMonitor(string id)
    {
        var deadline = DateTime.UtcNow + MonitorGrace;
        while (Directory.Exists(Store.Paths(id).Directory))
        {
            var idle = FileLock.OnDirectory(Store.Paths(id).Directory, wait: false);
            if (idle is not null)
            {
                // A monitor holds the lock until its exit, but an auto-remove one hands it over early: no process of
                // the container outlives the Remove.
                using (var monitor = PidFd.Open(Store.ReadState(id)?.Monitor))
                    monitor?.WaitForExit(deadline - DateTime.UtcNow);
                return idle;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the monitor of container {id} did not finish within {MonitorGrace.TotalSeconds} s");
            if (Store.Read(id) is { IsRunning: true })
                StopLocked(id, TimeSpan.Zero, Signals.SIGKILL);
            else
                Thread.Sleep(10);
        }
        return null;
    }

    private static EngineException NotFound(string nameOrId) => ContainerStore.NotFound(nameOrId);
}
