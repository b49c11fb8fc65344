using ContainerTools.Core.Containers;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>The generated /etc/hostname, /etc/hosts and /etc/resolv.conf bind-mounted into a container.</summary>
public static class EtcFiles
{
    public static void Write(ContainerPaths paths, string hostname)
    {
        AtomicFile.WriteAllText(paths.Hostname, hostname + "\n");
        AtomicFile.WriteAllText(paths.Hosts,
            $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n");
        AtomicFile.WriteAllText(paths.ResolvConf, ResolvConf());
    }

    /// <summary>The host's resolver configuration without loopback servers, which a container cannot reach.</summary>
    private static string ResolvConf()
    {
        var lines = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        return string.Concat(lines
            .Where(l => !(l.StartsWith("nameserver", StringComparison.Ordinal) && (l.Contains(" 127.") || l.Contains(" ::1"))))
            .Select(l => l + "\n"));
    }
}
