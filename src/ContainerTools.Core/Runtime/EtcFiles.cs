using ContainerTools.Core.Containers;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>The generated /etc/hostname, /etc/hosts and /etc/resolv.conf bind-mounted into a container.</summary>
public static class EtcFiles
{
    /// <summary>Writes them into a container's staging directory (see <see cref="AtomicFile.WriteStaged"/>).</summary>
    public static void Write(ContainerPaths paths, string hostname)
    {
        WriteStaged(paths.Hostname, hostname + "\n");
        WriteStaged(paths.Hosts, $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n");
        WriteStaged(paths.ResolvConf, ResolvConf());
    }

    private static void WriteStaged(string path, string content) => AtomicFile.WriteStaged(path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>The host's resolver configuration without loopback servers, which a container cannot reach.</summary>
    private static string ResolvConf()
    {
        var lines = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        return string.Concat(lines
            .Where(l => !(l.StartsWith("nameserver", StringComparison.Ordinal) && (l.Contains(" 127.") || l.Contains(" ::1"))))
            .Select(l => l + "\n"));
    }
}
