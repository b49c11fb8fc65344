using System.Text.Json;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Oci;

/// <summary>
/// ctrun's state directory (--root, default /run/ctrun): root/ID/container.json (the record), root/ID/exec.fifo
/// (present from create until start releases the init), and root/ID/.lock serialising the container's transitions: in
/// its directory, so a command on an id that does not exist, or a create that failed, leaves nothing behind.
/// </summary>
public sealed class OciStateDirectory(string root)
{
    public const string DefaultRoot = "/run/ctrun";
    public const string FifoName = "exec.fifo";

    public string Root { get; } = root;

    public string DirectoryOf(string id) => Path.Combine(Root, CheckId(id));

    public string FifoOf(string id) => Path.Combine(DirectoryOf(id), FifoName);

    /// <summary>
    /// Makes the directory of a container about to be created and takes its lock; an id whose directory exists is
    /// taken, as runc has it (a create killed midway leaves one: `delete --force` clears it).
    /// </summary>
    public FileLock Claim(string id)
    {
        Directory.CreateDirectory(Root);
        string directory = DirectoryOf(id);
        if (Linux.mkdirat(Linux.AT_FDCWD, directory, 0x1ED /* 0755: a user-namespaced init opens exec.fifo in it */) < 0)
        {
            if (Errno.Last == Errno.EEXIST)
                throw new EngineException("ContainerExists", ErrorKind.AlreadyExists, id, $"container with id \"{id}\" already exists");
            throw new NativeCallException("mkdir", directory, Errno.Last);
        }
        // Null only if a `delete --force` took the new directory for a dead create's within these microseconds.
        return Lock(id) ?? throw new EngineException("ContainerExists", ErrorKind.AlreadyExists, id, $"container \"{id}\" was deleted while it was created");
    }

    /// <summary>Takes the lock of a container; null when it has no directory (nothing is made for it).</summary>
    public FileLock? Lock(string id) => FileLock.InDirectory(Path.Combine(DirectoryOf(id), ".lock"), wait: true);

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

    public OciContainer Read(string id) => TryRead(id) ?? throw NotFound(id);

    public static EngineException NotFound(string id) =>
        new("ContainerNotFound", ErrorKind.NotFound, id, $"container \"{id}\" does not exist");

    public void Write(OciContainer container) =>
        AtomicFile.WriteAllBytes(Path.Combine(DirectoryOf(container.Id), "container.json"),
            JsonSerializer.SerializeToUtf8Bytes(container, OciRuntimeJsonContext.Default.OciContainer));

    /// <summary>Deletes the container's directory (its lock with it); the caller holds that lock.</summary>
    public void Delete(string id)
    {
        string directory = DirectoryOf(id);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
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
