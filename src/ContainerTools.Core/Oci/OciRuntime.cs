using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// The OCI runtime operations after create, on ctrun's state directory: state, start, kill, delete, pause,
/// resume, update, ps. Transitions hold the container's lock; the status is read from the kernel (is the
/// init alive, is exec.fifo still there, is the group frozen), never trusted from a file.
/// </summary>
public sealed class OciRuntime(OciStateDirectory states)
{
    public OciState State(string id)
    {
        var container = states.Read(id);
        return StateOf(container);
    }

    public IEnumerable<OciState> List() =>
        states.Ids().Select(states.TryRead).OfType<OciContainer>().Select(StateOf);

    public void Start(string id)
    {
        using var own = states.Lock(id) ?? throw OciStateDirectory.NotFound(id);
        var container = states.Read(id);
        var state = StateOf(container);
        if (state.Status != OciState.Created)
            throw new EngineException("ContainerNotCreated", ErrorKind.InvalidOperation, id, $"cannot start a container that is {state.Status}");
        string fifo = states.FifoOf(id);
        int fd = Linux.openat(Linux.AT_FDCWD, fifo, Linux.O_WRONLY | Linux.O_NONBLOCK | Linux.O_CLOEXEC, 0);
        if (fd < 0)
            throw new EngineException("ContainerNotCreated", ErrorKind.InvalidOperation, id, "cannot start the container: its init is gone");
        try
        {
            WriteOne(fd, fifo);
        }
        finally
        {
            Linux.close(fd);
        }
        File.Delete(fifo);
        var spec = OciBundle.Load(container.Bundle);
        try
        {
            // The process as it was started: one that has already exited still had this pid (as runc reports).
            OciHooks.Run("poststart", spec.Hooks?.Poststart, state with { Status = OciState.Running });
        }
        catch (EngineException e)
        {
            // The spec: a failing poststart hook is a warning; the container goes on.
            Console.Error.WriteLine("ctrun: warning: " + e.Message);
        }
    }

    /// <summary>Signals the init (or, with <paramref name="all"/>, every process of its group).</summary>
    public void Kill(string id, int signal, bool all)
    {
        var container = states.Read(id);
        var status = StateOf(container).Status;
        if (status is not (OciState.Created or OciState.Running or OciState.Paused))
            throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, id, "container not running");
        if (all && Group(container) is { } group)
        {
            foreach (int pid in group.ProcessIds())
                Linux.kill(pid, signal);
            return;
        }
        using var init = PidFd.Open(container.Init);
        if (init is null || !init.Signal(signal))
            throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, id, "container not running");
    }

    /// <summary>Deletes a stopped or created container; a running one only with <paramref name="force"/> (killed first).</summary>
    public void Delete(string id, bool force)
    {
        using var own = states.Lock(id);
        var container = own is null ? null : states.TryRead(id);
        if (container is null)
        {
            if (!force)
                throw OciStateDirectory.NotFound(id);
            // A directory without a record is a create killed midway.
            if (own is not null)
                states.Delete(id);
            return;
        }
        var state = StateOf(container);
        if (state.Status is OciState.Running or OciState.Paused && !force)
            throw new EngineException("ContainerRunning", ErrorKind.ResourceBusy, id, $"cannot delete container {id} that is not stopped: {state.Status}");
        bool wasStarted = state.Status != OciState.Created;
        var group = Group(container);
        using (var init = PidFd.Open(container.Init))
        {
            if (init is not null)
            {
                init.Signal(Signals.SIGKILL);
                group?.Thaw();
                init.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        group?.Delete();
        OciDeviceRules.Remove(container.CgroupPath);
        states.Delete(id);
        if (wasStarted && File.Exists(Path.Combine(container.Bundle, "config.json")))
        {
            try
            {
                OciHooks.Run("poststop", OciBundle.Load(container.Bundle).Hooks?.Poststop, state with { Status = OciState.Stopped });
            }
            catch (EngineException e)
            {
                Console.Error.WriteLine("ctrun: warning: " + e.Message);
            }
        }
    }

    public void Pause(string id) => RunningGroup(id, OciState.Running).Freeze();

    public void Resume(string id) => RunningGroup(id, OciState.Paused).Thaw();

    public void Update(string id, ResourceLimits limits) => (Group(states.Read(id))
        ?? throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, id, "container not running")).Update(limits);

    public IReadOnlyList<int> Processes(string id) => Group(states.Read(id))?.ProcessIds() ?? [];

    /// <summary>The container's cgroup path below the hierarchy roots, its init identity: what exec needs.</summary>
    public OciContainer Running(string id)
    {
        var container = states.Read(id);
        if (StateOf(container).Status is not (OciState.Running or OciState.Created))
            throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, id, "cannot exec in a stopped container");
        return container;
    }

    private ICgroup RunningGroup(string id, string expected)
    {
        var container = states.Read(id);
        string status = StateOf(container).Status;
        if (status != expected)
            throw new EngineException("ContainerWrongState", ErrorKind.InvalidOperation, id, $"container {id} is {status}, not {expected}");
        return Group(container) ?? throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, id, "container not running");
    }

    private static ICgroup? Group(OciContainer container) => Cgroups.Detect().Open(container.CgroupPath);

    private OciState StateOf(OciContainer container)
    {
        string status = !container.Init.IsAlive ? OciState.Stopped
            : File.Exists(states.FifoOf(container.Id)) ? OciState.Created
            : Group(container)?.IsFrozen == true ? OciState.Paused
            : OciState.Running;
        return new OciState("1.2.0", container.Id, status, status == OciState.Stopped ? 0 : container.Init.Pid, container.Bundle, container.Annotations);
    }

    private static unsafe void WriteOne(int fd, string path)
    {
        byte go = 1;
        Errno.Check((int)Linux.write(fd, &go, 1), "write", path);
    }
}
