using System.Text.Json;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Oci;

/// <summary>
/// ctrun's state directory (--root, default /run/ctrun): root/ID/container.json (the record), root/ID/exec.fifo
/// (present from create until start releases the init), and one lock per container serialising its transitions.
/// </summary>
public sealed class OciStateDirectory(string root)
{
    public const string DefaultRoot = "/run/ctrun";
    public const string FifoName = "exec.fifo";

    public string Root { get; } = root;

    public string DirectoryOf(string id) => Path.Combine(Root, CheckId(id));

    public string FifoOf(string id) => Path.Combine(DirectoryOf(id), FifoName);

    public FileLock Lock(string id)
    {
        Directory.CreateDirectory(Root);
        return FileLock.Acquire(Path.Combine(Root, "." + CheckId(id) + ".lock"));
    }

    public OciContainer? TryRead(string id)
    {
        string path = Path.Combine(DirectoryOf(id), "container.json");
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), OciRuntimeJsonContext.Default.OciContainer);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public OciContainer Read(string id) => TryRead(id)
        ?? throw new EngineException("ContainerNotFound", ErrorKind.NotFound, id, $"container \"{id}\" does not exist");

    public void Write(OciContainer container) =>
        AtomicFile.WriteAllBytes(Path.Combine(DirectoryOf(container.Id), "container.json"),
            JsonSerializer.SerializeToUtf8Bytes(container, OciRuntimeJsonContext.Default.OciContainer));

    public void Delete(string id)
    {
        string directory = DirectoryOf(id);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        File.Delete(Path.Combine(Root, "." + id + ".lock"));
    }

    public IEnumerable<string> Ids() => Directory.Exists(Root)
        ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(id => File.Exists(Path.Combine(Root, id, "container.json")))
        : [];

    /// <summary>runc's rule: an id is a file name, never a path.</summary>
    private static string CheckId(string id)
    {
        if (id.Length == 0 || id.Length > 1024 || id is "." or ".." || id.Contains('/') || id.Contains('\0'))
            throw new EngineException("InvalidContainerId", ErrorKind.InvalidArgument, id, $"invalid container id \"{id}\"");
        return id;
    }
}
