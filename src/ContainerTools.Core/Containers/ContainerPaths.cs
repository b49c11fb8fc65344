using ContainerTools.Core.Store;

namespace ContainerTools.Core.Containers;

/// <summary>
/// The files of one container: under containers/&lt;id&gt;/ in the store what it is and what it wrote; under
/// containers/&lt;id&gt;/ in the run root (tmpfs) what its start makes afresh and a reboot may lose, as podman's
/// userdata: nothing there is written to disk nor freed from it (a block freed on a disk mounted with
/// discard costs a synchronous trim), on the path of every create and remove.
/// </summary>
public sealed class ContainerPaths(StoreLocation store, string id)
{
    public string Id { get; } = id;
    public string Directory { get; } = Path.Combine(store.ContainersDirectory, id);
    public string Record => Path.Combine(Directory, "container.json");
    public string Config => Path.Combine(Directory, "config.json");
    public string State => Path.Combine(Directory, "state.json");
    public string Log => Path.Combine(Directory, "ctr.log");
    public string Upper => Path.Combine(Directory, "upper");
    public string Work => Path.Combine(Directory, "work");
    public string RunDirectory { get; } = Path.Combine(store.RunRoot, "containers", id);
    /// <summary>The overlay's mount point (mounted in the container's own mount namespace only).</summary>
    public string Rootfs => Path.Combine(RunDirectory, "merged");
    public string Hostname => Path.Combine(RunDirectory, "hostname");
    public string Hosts => Path.Combine(RunDirectory, "hosts");
    public string ResolvConf => Path.Combine(RunDirectory, "resolv.conf");
    /// <summary>Where an interactive container's init sends its terminal; short, as a socket path must be.</summary>
    public string ConsoleSocket => Path.Combine(store.RunRoot, "console-" + Id[..12] + ".sock");
    /// <summary>The container's lock (<see cref="ContainerStore.Lock"/>): in its directory, so it goes with it.</summary>
    public string Lock => Path.Combine(Directory, "lock");
    /// <summary>Made by a stop or removal, deleted by a start: while it exists, the monitor restarts nothing (see RestartPolicy).</summary>
    public string StopRequested => Path.Combine(Directory, "stop-requested");
    /// <summary>What the health checks of its current run found (<see cref="ContainerHealth"/>).</summary>
    public string Health => Path.Combine(Directory, "health.json");
    /// <summary>Held shared by a session attached to the container (a foreground run): its monitor then leaves an auto-remove to it.</summary>
    public string AttachLock => Path.Combine(Directory, "attached.lock");
}
