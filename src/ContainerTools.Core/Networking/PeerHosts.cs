using System.Text;

namespace ContainerTools.Core.Networking;

/// <summary>
/// Name resolution between containers of one network: each attached container's /etc/hosts ends with a
/// block listing every container (name, aliases, short id) that shares a network with it. The file is bind
/// mounted into the container, so it is rewritten in place: a rename would leave the container the old inode.
/// </summary>
internal static class PeerHosts
{
    public const string Marker = "# ContainerTools: containers on the same networks";

    /// <summary>Rewrites the block of every container in <paramref name="attachments"/> that has a hosts file.</summary>
    public static void Update(IReadOnlyList<NetworkAttachment> attachments)
    {
        foreach (var attachment in attachments)
        {
            if (attachment.HostsFile is { } path)
                Rewrite(path, Block(attachment, attachments));
        }
    }

    public static string Block(NetworkAttachment self, IReadOnlyList<NetworkAttachment> attachments)
    {
        var text = new StringBuilder(Marker).Append('\n');
        foreach (var network in self.Endpoints.Select(e => e.Network).Distinct())
        {
            foreach (var peer in attachments)
            {
                foreach (var endpoint in peer.Endpoints.Where(e => e.Network == network && e.IPAddress is not null))
                {
                    var names = new List<string> { peer.ContainerName };
                    names.AddRange(endpoint.Aliases);
                    if (peer.ContainerId.Length > 12)
                        names.Add(peer.ContainerId[..12]);
                    text.Append(endpoint.IPAddress).Append('\t').AppendJoin(' ', names.Distinct()).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    private static void Rewrite(string path, string block)
    {
        string current;
        try
        {
            current = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return; // a container removed without detaching (its record is cleaned by Detach)
        }
        int marker = current.IndexOf(Marker, StringComparison.Ordinal);
        string head = marker < 0 ? current : current[..marker];
        if (head.Length > 0 && !head.EndsWith('\n'))
            head += "\n";
        string wanted = head + block;
        if (wanted == current)
            return;
        byte[] bytes = Encoding.UTF8.GetBytes(wanted);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(bytes);
        stream.SetLength(bytes.Length);
        stream.Flush(flushToDisk: true);
    }
}
