using System.Text.Json;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Networking;

/// <summary>
/// The attachment records, one file per container under the run root (networks/attachments/&lt;id&gt;.json):
/// runtime state, gone after a reboot exactly as the veths, rules and namespaces they describe are.
/// Callers hold the networks lock.
/// </summary>
internal sealed class AttachmentStore(StoreLocation store)
{
    public string Directory { get; } = Path.Combine(store.RunRoot, "networks", "attachments");

    public NetworkAttachment? Read(string containerId) => Parse(PathOf(containerId));

    public IReadOnlyList<NetworkAttachment> All()
    {
        if (!System.IO.Directory.Exists(Directory))
            return [];
        return System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(Parse)
            .OfType<NetworkAttachment>()
            .OrderBy(a => a.ContainerName, StringComparer.Ordinal)
            .ToList();
    }

    public void Write(NetworkAttachment attachment) =>
        AtomicFile.WriteAllBytes(PathOf(attachment.ContainerId),
            JsonSerializer.SerializeToUtf8Bytes(attachment, NetworkingJsonContext.Default.NetworkAttachment));

    public void Delete(string containerId)
    {
        File.Delete(PathOf(containerId));
        AtomicFile.SyncDirectory(Directory);
    }

    private string PathOf(string containerId) => Path.Combine(Directory, containerId + ".json");

    /// <summary>The record, or null when there is none: a monitor's detach may delete it while a reader lists or reads.</summary>
    private static NetworkAttachment? Parse(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), NetworkingJsonContext.Default.NetworkAttachment);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new EngineException("InvalidAttachmentRecord", ErrorKind.InvalidData, path, $"The network attachment record {path} is unreadable: {e.Message}", e);
        }
    }
}
