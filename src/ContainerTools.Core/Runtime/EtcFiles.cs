using ContainerTools.Core.Containers;
using ContainerTools.Core.Networking;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The generated /etc/hostname, /etc/hosts and /etc/resolv.conf bind-mounted into a container (with the user's
/// extra hosts and resolver settings, <see cref="ResolverSettings"/>), with the mount point of its root: in its run
/// directory, written afresh at each start, as podman does (the host's resolver as it is then, a hosts file without
/// the peers of an earlier run; what the container changed in them goes).
/// </summary>
public static class EtcFiles
{
    /// <summary>Before a start, when nothing uses them: rewritten in place, so no bind mount holds an old copy.</summary>
    public static void Write(ContainerPaths paths, ContainerRecord record)
    {
        Directory.CreateDirectory(paths.Rootfs);
        File.WriteAllText(paths.Hostname, record.Hostname + "\n");
        File.WriteAllText(paths.Hosts, $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{record.Hostname}\n"
            + string.Concat(record.Resolver.ExtraHosts.Select(host => $"{host.Address}\t{host.Name}\n")));
        File.WriteAllText(paths.ResolvConf, record.Resolver.ResolvConf(HostResolver()));
    }

    /// <summary>Makes them if they are missing (a reboot emptied the run root), for a root seen from outside.</summary>
    public static void Ensure(ContainerPaths paths, ContainerRecord record)
    {
        if (!File.Exists(paths.Hostname) || !File.Exists(paths.Hosts) || !File.Exists(paths.ResolvConf))
            Write(paths, record);
    }

    /// <summary>The host's resolver configuration without loopback servers, which a container cannot reach.</summary>
    private static IEnumerable<string> HostResolver()
    {
        var lines = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        return lines.Where(l => !(l.StartsWith("nameserver", StringComparison.Ordinal) && (l.Contains(" 127.") || l.Contains(" ::1"))));
    }
}
