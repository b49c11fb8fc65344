using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Native;
using ContainerTools.Core.Networking;
using Microsoft.Win32.SafeHandles;

using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The per-container monitor (run by `ctmon monitor`): starts the init in new namespaces and holds it,
/// places it (cgroup, network), releases it, learns whether its command started, reports that once, then
/// copies its output into ctr.log, reaps it and records how it ended. Runs detached from any terminal.
/// </summary>
/// <remarks><paramref name="initCopy"/>: the launcher's sealed copy of the init executable, adopted
/// (see <see cref="SealedExecutable.AdoptFromParent"/>); without it the monitor makes its own copy. <paramref name="launcher"/>: the pipe of the <see cref="LaunchHandoff"/> (-1: none, all is done here).
/// <paramref name="spareInit"/>: a spare monitor's init started ahead, used when the container fits it.
/// <paramref name="restart"/>: this run is its restart policy's (see <see cref="MonitorRestart"/>), not a start's.</remarks>
public sealed class ContainerMonitor(ContainerStore store, string id, string initExecutable, SealedExecutable? initCopy = null, int launcher = -1, SpareInit? spareInit = null, bool restart = false)
{
    private readonly ContainerPaths _paths = store.Paths(id);
    /// <summary>In every state it writes: a Remove waits for this process to be gone, not only for its lock.</summary>
    private readonly ProcessIdentity? _self = ProcessIdentity.Of(Environment.ProcessId);
    private bool _setupReturned;

    /// <summary>Runs the container to its end. <paramref name="report"/> is called once: null when it runs, else the start error.</summary>
    public int Run(Action<string?> report)
    {
        using var hangup = IgnoreHangup();
        // Held while this monitor lives: a Remove waits on it for a monitor still starting (its starter was
        // killed) or still recording the end, so nothing it makes appears after the Remove. Never let go of here
        // (only by an auto-remove's early hand-over): the kernel drops it as this process exits, whatever way it ends,
        // or execve's for a restart. A restart finding it taken meets a Remove, which waits for this process's exit.
        var alive = FileLock.OnDirectory(_paths.Directory, wait: !restart);
        if (alive is null)
        {
            report($"container {id} was removed");
            return 1;
        }
        // A restart counts on from the end it follows; a start counts from 0.
        var restarts = new ContainerState();
        if (restart)
        {
            restarts = store.ReadState(id) ?? restarts;
            // A stop or removal came as this process began: that end stays the last.
            if (StopRequested())
            {
                TryWriteState(restarts with { Restarting = false });
                return 0;
            }
            restarts = restarts with { RestartCount = restarts.RestartCount + 1 };
        }
        var startedAt = DateTime.UtcNow;
        IInitProcess init;
        int statusRead;
        // A spare init moves itself into the cgroup once assigned, before its release.
        bool placedBySpare = false;
        ContainerRecord? record = null;
        var networking = new ContainerNetworking(store.Location);
        using var log = new ContainerLog(_paths.Log);
        // Its cgroup comes first, so the init can be born in it (limits apply before the command runs).
        ICgroup? cgroup = null;
        string? error = null;
        try
        {
            var handoff = LaunchHandoff.Receive(launcher);
            cgroup = handoff is null ? null : Cgroups.Detect().Open(Cgroups.PathFor(id));
            // Without the launcher's cgroup, or with a user namespace (its start needs the record), the record comes first.
            if (cgroup is null || handoff!.UserNamespace)
            {
                record = ReadRecord();
                handoff = LaunchHandoff.Of(record);
                try
                {
                    // The record's limits: those given at creation as changed since by Set-ContainerLimit.
                    cgroup ??= Cgroups.Detect().Create(Cgroups.PathFor(id), record.Limits, record.Privileged);
                }
                catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
                {
                    error = CgroupError + e.Message;
                }
            }
            if (spareInit is not null && spareInit.Assign(_paths.Directory, handoff, cgroup))
            {
                (init, statusRead, placedBySpare) = (spareInit.Init, spareInit.StatusRead, true);
                initCopy?.Dispose();
            }
            else
                (init, statusRead) = StartInit(handoff, cgroup);
            // Read while the init starts (its networks need it before its release).
            record ??= ReadRecord();
        }
        catch (Exception e) when (e is IOException or EngineException)
        {
            cgroup?.Delete();
            Finish(new ContainerState { Status = ContainerStatus.Exited, StartedAt = startedAt, FinishedAt = DateTime.UtcNow, ExitCode = 127, Error = e.Message, RestartCount = restarts.RestartCount }, report, e.Message);
            return 1;
        }

        // While the init waits: its cgroup if it was not born there, then networks.
        try
        {
            if (cgroup is not null && !init.BornInCgroup && !placedBySpare)
                cgroup.AddProcess(init.Pid);
        }
        catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
        {
            error = CgroupError + e.Message;
        }
        try
        {
            if (error is null)
                networking.AttachContainer(id, record.Name, init.Pid, record.Network, _paths.Hosts);
        }
        catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
        {
            error = "cannot attach the container to its network: " + e.Message;
        }
        if (error is null)
            init.Release();
        else
            init.Kill();
        // The state's JSON metadata and encoder are made while the init builds its root, rather than between its
        // report and ours.
        ContainerStore.WarmStateJson();
        error ??= ReadStatus(statusRead);
        var initIdentity = ProcessIdentity.Of(init.Pid);
        if (error is null && !TryWriteState(new ContainerState
            {
                Status = ContainerStatus.Running, Init = initIdentity, StartedAt = startedAt,
                RestartCount = restarts.RestartCount, RestartBackoff = restarts.RestartBackoff,
            }))
        {
            // Removed while it started (its starter was killed, a Remove went ahead): end it and clean up.
            init.Kill();
            error = "the container was removed while it started";
        }
        if (error is null)
            report(null);
        // The output ends once everything in the container has exited (its PID namespace dies with the init).
        log.Pump(init.Output, init.Error, SettleAfter, error is null ? () => Settled(log, init, alive, startedAt) : null);
        var ended = End(init.Exited.GetAwaiter().GetResult(), record, networking, cgroup, startedAt, error);
        if (error is not null)
        {
            Finish(ended, report, error);
            return 0;
        }
        RecordEnd(record, ended, alive);
        return 0;
    }

    /// <summary>Starts the init in its namespaces (inside <paramref name="cgroup"/> where the driver can); returns it and its status pipe.</summary>
    private (IInitProcess Init, int StatusRead) StartInit(LaunchHandoff handoff, ICgroup? cgroup)
    {
        // Once started, the init holds its copy itself: this one goes at once, not kept per running container.
        using var sealedInit = initCopy ?? SealedExecutable.Of(initExecutable);
        // The init marks its end close-on-exec: EOF with no bytes means its execve succeeded; bytes are the start error.
        (int statusRead, int statusWrite) = InheritedPipe.Create(childReads: false, "status pipe");
        var start = new ProcessStartInfo(sealedInit.Path) { ArgumentList = { "init", _paths.Directory, statusWrite.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        try
        {
            if (!handoff.UserNamespace)
                return (InitProcess.Start(start, handoff.Namespaces, cgroup), statusRead);
            // Only a user namespace needs the spec here (its maps, its layers): the init reads it itself.
            var spec = RuntimeSpec.Load(_paths.Config);
            return (UserNamespaceInit.Start(sealedInit.Path, start.ArgumentList, handoff.Namespaces, spec, SpecAnnotations.LowerDirectories(spec)), statusRead);
        }
        catch
        {
            Linux.close(statusRead);
            throw;
        }
        finally
        {
            Linux.close(statusWrite);
        }
    }

    /// <summary>SIGHUP must not end a monitor; the registration also initialises signal handling, which must exist
    /// before a namespaced thread starts an init.</summary>
    public static PosixSignalRegistration IgnoreHangup() => PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);

    /// <summary>
    /// `ctmon watch`: the steady state of a monitor that execve'd itself (<see cref="MonitorHandOver"/>), the same
    /// pump and end as <see cref="Run"/> in a fresh process image.
    /// </summary>
    public int Watch(MonitorHandOver handOver)
    {
        // As in Run: held until this process exits.
        var alive = FileLock.Inherited(handOver.Lock);
        using var log = new ContainerLog(_paths.Log);
        using (var output = new SafeFileHandle(handOver.Output, ownsHandle: true))
        using (var error = new SafeFileHandle(handOver.Error, ownsHandle: true))
            log.Pump(output, error, ReleasePagesAfter, ReleaseStartupPages);
        int exitCode = InitThread.WaitFor(handOver.InitPid);
        var cgroup = Cgroups.Detect().Open(Cgroups.PathFor(id));
        var record = store.ReadRecord(id);
        RecordEnd(record, End(exitCode, record, new ContainerNetworking(store.Location), cgroup, handOver.StartedAt, error: null), alive);
        return 0;
    }

    /// <summary>
    /// An auto-remove container that ended is deleted here when no session is attached to do it (it ran detached,
    /// or its session died) and no command holds it (a Stop or Remove then deletes it, a Restart keeps it).
    /// </summary>
    private void RemoveIfAuto(ContainerRecord? record, FileLock alive)
    {
        if (record is not { AutoRemove: true })
            return;
        // A Remove waiting for this monitor to finish goes ahead now rather than wait for us.
        alive.Dispose();
        if (!ContainerAttachment.NoneOn(_paths))
            return;
        using var own = store.Lock(id, wait: false);
        if (own is not null && store.Read(id) is { Status: ContainerStatus.Exited })
            store.DeleteFiles(id);
    }

    /// <summary>
    /// Records how the run ended: as Restarting when the restart policy asks for another run and no stop or removal
    /// came (so no reader ever sees a last end in between), then waits out the back-off and restarts it (<see cref="Restart"/>);
    /// else as the last end, an auto-remove container then deleted when no one else does it.
    /// </summary>
    private void RecordEnd(ContainerRecord? record, ContainerState ended, FileLock alive)
    {
        TimeSpan? backoff = null;
        if (record is { Restart.Restarts: true } && record.Restart.RestartsAfter(ended.ExitCode, ended.RestartCount) && !StopRequested())
            backoff = RestartPolicy.Backoff((ended.FinishedAt - ended.StartedAt) ?? TimeSpan.Zero, TimeSpan.FromMilliseconds(ended.RestartBackoff));
        if (!TryWriteState(backoff is { } wait ? ended with { Restarting = true, RestartBackoff = (int)wait.TotalMilliseconds } : ended))
            return;
        RemoveIfAuto(record, alive);
        if (backoff is { } delay)
            Restart(ended, delay);
    }

    /// <summary>
    /// Waits <paramref name="backoff"/>, then execve's a fresh monitor that starts the next run (<see cref="MonitorRestart"/>:
    /// same pid, so a Wait-Container waits on). A stop or removal seen meanwhile, or a failed execve, makes
    /// <paramref name="ended"/> the last end instead; one after the last look is the fresh monitor's to see.
    /// </summary>
    private void Restart(ContainerState ended, TimeSpan backoff)
    {
        var deadline = DateTime.UtcNow + backoff;
        for (var left = backoff; left > TimeSpan.Zero; left = deadline - DateTime.UtcNow)
        {
            if (StopRequested())
            {
                TryWriteState(ended);
                return;
            }
            Thread.Sleep(left < RestartPoll ? left : RestartPoll);
        }
        string error = MonitorRestart.Exec(store.Location, id);
        TryWriteState(ended with { Error = "cannot restart the container: " + error });
    }

    /// <summary>How often a monitor waiting to restart its container looks for a stop or removal.</summary>
    private static readonly TimeSpan RestartPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>A stop or removal asked for the end of the restarts (or the container is gone).</summary>
    private bool StopRequested() => File.Exists(_paths.StopRequested) || !Directory.Exists(_paths.Directory);

    /// <summary>After the init: off its networks, its cgroup gone; returns how it ended.</summary>
    private ContainerState End(int exitCode, ContainerRecord? record, ContainerNetworking networking, ICgroup? cgroup, DateTime startedAt, string? error)
    {
        DetachNetworks(networking);
        bool oomKilled = cgroup?.OomKilled ?? false;
        cgroup?.Delete();
        // The run's restart count, as its start recorded it (a watcher knows it from there only); none without a policy.
        var running = record is { Restart.Restarts: true } ? store.ReadState(id) : null;
        return new ContainerState
        {
            Status = ContainerStatus.Exited,
            StartedAt = startedAt,
            FinishedAt = DateTime.UtcNow,
            ExitCode = exitCode,
            OomKilled = oomKilled,
            Error = error,
            RestartCount = running?.RestartCount ?? 0,
            RestartBackoff = running?.RestartBackoff ?? 0,
        };
    }

    /// <summary>
    /// The container has run for <see cref="SettleAfter"/>: the monitor execve's into `ctmon watch`, once no line is
    /// half read; when it does not (the init has ended meanwhile, or execve failed), it returns what setup allocated instead.
    /// </summary>
    private bool Settled(ContainerLog log, IInitProcess init, FileLock alive, DateTime startedAt)
    {
        if (log.HasPartialLine)
        {
            // Only this process could still complete that line: asked again later, meanwhile smaller.
            if (!_setupReturned)
                ReturnSetupMemory();
            return false;
        }
        var handOver = new MonitorHandOver(init.Pid, (int)init.Output.DangerousGetHandle(), (int)init.Error.DangerousGetHandle(), alive.Descriptor, startedAt);
        var arguments = handOver.Arguments(store.Location, id);
        try
        {
            var hostNamespaces = MonitorHandOver.OpenHostNamespaces();
            init.ParentThread.Run(() => handOver.Exec(arguments, hostNamespaces));
            foreach (var ns in hostNamespaces)
                ns.Dispose();
        }
        catch (NativeCallException)
        {
            // No hand-over: this monitor watches on as it is.
        }
        ReturnSetupMemory();
        return true;
    }

    private const string CgroupError = "cannot place the container in its cgroup: ";

    private ContainerRecord ReadRecord() =>
        store.ReadRecord(id) ?? throw new EngineException("ContainerNotFound", ErrorKind.NotFound, id, $"no container with id '{id}'");

    /// <summary>How long a container runs before its monitor returns what it used to start it (not for one that ends sooner).</summary>
    private static readonly TimeSpan SettleAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the watcher runs before it lets go of the pages its start-up touched (see <see cref="CleanFilePages"/>).</summary>
    private static readonly TimeSpan ReleasePagesAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// What setup allocated (the record, the spec, JSON) is garbage by now, but the GC keeps its region committed
    /// for the container's whole life: an aggressive collection hands it back (0.7 MB less per monitor, bench/).
    /// </summary>
    private void ReturnSetupMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _setupReturned = true;
    }

    /// <summary>
    /// The file pages this image touched to start up, dropped once from the pump's idle wait: on the watcher's one
    /// thread beside the runtime's idle finalizer, as <see cref="CleanFilePages.Release"/> needs.
    /// </summary>
    private static bool ReleaseStartupPages()
    {
        try
        {
            CleanFilePages.Release();
        }
        catch (NativeCallException e)
        {
            // Only memory is at stake: the watcher watches on with its pages.
            Console.Error.WriteLine($"ctmon: {e.Message}");
        }
        return true;
    }

    /// <summary>Writes the container's state; false when the container's folder is gone (it was removed).</summary>
    private bool TryWriteState(ContainerState state)
    {
        try
        {
            store.WriteState(id, state with { Monitor = _self });
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>CNI DEL of everything attached. A failure leaves the record, so a later Remove or Start retries it.</summary>
    private void DetachNetworks(ContainerNetworking networking)
    {
        try
        {
            networking.Detach(id);
        }
        catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"ctmon: detaching container {id} from its networks: {e.Message}");
        }
    }

    private void Finish(ContainerState state, Action<string?> report, string error)
    {
        TryWriteState(state);
        report(error);
    }

    /// <summary>What the init wrote on its status pipe until the pipe ended: null when nothing (its execve succeeded).</summary>
    private static string? ReadStatus(int fd)
    {
        var message = new MemoryStream();
        using (var pipe = new SafeFileHandle(fd, ownsHandle: true))
            PipeDrain.Run([pipe], (data, _) => message.Write(data), "status pipe");
        return message.Length == 0 ? null : Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
    }
}
