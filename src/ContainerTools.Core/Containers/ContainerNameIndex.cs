using ContainerTools.Core.Store;

namespace ContainerTools.Core.Containers;

/// <summary>
/// The containers' names, each a symlink to its container's id in the run root: a name is found, or known to be
/// free, without reading every container's record. It is changed only under the names lock and read without it;
/// a link counts only while the record it leads to bears its name, so a link a kill left behind (its container
/// gone or renamed) is free to take. It lives in the run root, which a restart empties, and is built again from
/// the records whenever it is missing: never behind the records, with no fsync of its own.
/// </summary>
internal sealed class ContainerNameIndex(StoreLocation location, Func<string, ContainerRecord?> readRecord)
{
    private readonly string _directory = Path.Combine(location.RunRoot, "container-names");

    /// <summary>The id of the container named <paramref name="name"/>, or null.</summary>
    public string? IdOf(string name) =>
        ContainerNames.IsValid(name) && new FileInfo(Path.Combine(_directory, name)).LinkTarget is { } id && IsId(id) && readRecord(id)?.Name == name
            ? id : null;

    private static bool IsId(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    public bool Exists => Directory.Exists(_directory);

    /// <summary>Builds it from <paramref name="ids"/>' records when it is missing; the caller holds the names lock.</summary>
    public void EnsureBuilt(IEnumerable<string> ids)
    {
        if (Exists)
            return;
        // Whole or not at all: a reader never sees half of it, a kill leaves only a temp directory.
        string temp = _directory + AtomicFile.TempPrefix + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(temp);
        try
        {
            foreach (string id in ids)
            {
                if (readRecord(id) is { } record)
                    File.CreateSymbolicLink(Path.Combine(temp, record.Name), id);
            }
            Directory.Move(temp, _directory);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
        foreach (string stale in Directory.EnumerateDirectories(location.RunRoot, Path.GetFileName(_directory) + AtomicFile.TempPrefix + "*"))
            Directory.Delete(stale, recursive: true);
    }

    /// <summary>Points <paramref name="name"/> at <paramref name="id"/>, replacing a stale link; the caller holds the names lock.</summary>
    public void Set(string name, string id)
    {
        string temp = Path.Combine(_directory, AtomicFile.TempPrefix + Guid.NewGuid().ToString("N"));
        File.CreateSymbolicLink(temp, id);
        File.Move(temp, Path.Combine(_directory, name), overwrite: true);
    }

    /// <summary>Removes <paramref name="name"/> if it still leads to <paramref name="id"/>; the caller holds the names lock.</summary>
    public void Remove(string name, string id)
    {
        string link = Path.Combine(_directory, name);
        if (new FileInfo(link).LinkTarget == id)
            File.Delete(link);
    }
}
