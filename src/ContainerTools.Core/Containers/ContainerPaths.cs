using ContainerTools.Core.Store;

namespace ContainerTools.Core.Containers;

/// <summary>The files of one container under containers/&lt;id&gt;/.</summary>
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
    public string Rootfs => Path.Combine(Directory, "merged");
    public string Hostname => Path.Combine(Directory, "hostname");
    public string Hosts => Path.Combine(Directory, "hosts");
    public string ResolvConf => Path.Combine(Directory, "resolv.conf");
    /// <summary>Where an interactive container's init sends its terminal; short, as a socket path must be.</summary>
    public string ConsoleSocket => Path.Combine(store.RunRoot, "console-" + Id[..12] + ".sock");
    public string LockName => "container-" + Id;
    /// <summary>Held shared by a session attached to the container (a foreground run): its monitor then leaves an auto-remove to it.</summary>
    public string AttachLock => Path.Combine(store.RunRoot, "attached-" + Id + ".lock");
}
