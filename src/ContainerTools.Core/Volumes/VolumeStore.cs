using System.IO.Enumeration;
using System.Text.Json;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Volumes;

/// <summary>
/// The volumes of a store, named and anonymous: volumes/&lt;name&gt;/volume.json and its data in _data. Created and removed
/// under the "volumes" lock; a removal also holds the containers' names lock, so no container can start
/// using a volume while it is being deleted.
/// </summary>
public sealed class VolumeStore(StoreLocation store)
{
    private const string VolumesLock = "volumes";
    private const string RecordFile = "volume.json";
    /// <summary>A volume directory renamed to this prefix is being deleted; listings skip it and finish the job.</summary>
    private const string RemovingPrefix = ".removing-";

    public StoreLocation Location { get; } = store;

    /// <summary>The directory a volume's data lives in, whether or not it exists yet.</summary>
    public string Mountpoint(string name) => Path.Combine(Location.VolumesDirectory, name, "_data");

    public static void ValidateName(string name)
    {
        if (!ContainerNames.IsValid(name))
            throw new EngineException("InvalidVolumeName", ErrorKind.InvalidArgument, name,
                $"'{name}' is not a valid volume name: use letters, digits, '_', '.', '-', starting with a letter or digit");
    }

    /// <summary>Creates a volume; AlreadyExists when one has that name (Docker's create is silent about it, ours tells).</summary>
    public ContainerVolumeInfo Create(string name, IReadOnlyDictionary<string, string>? labels)
    {
        ValidateName(name);
        using var volumes = FileLock.Acquire(Location, VolumesLock);
        RemoveUnrecordedLocked();
        if (Read(name) is not null)
            throw new EngineException("VolumeExists", ErrorKind.AlreadyExists, name, $"a volume named '{name}' exists already");
        var record = CreateLocked(name, labels);
        return Describe(record, []);
    }

    /// <summary>The volume a container names (-Volume name:/path), created on first use as docker run does; its mountpoint.</summary>
    public string Ensure(string name)
    {
        ValidateName(name);
        using var volumes = FileLock.Acquire(Location, VolumesLock);
        if (Read(name) is null)
            CreateLocked(name, null);
        return Mountpoint(name);
    }

    public IReadOnlyList<ContainerVolumeInfo> List()
    {
        if (!Directory.Exists(Location.VolumesDirectory))
            return [];
        // A reader tidies only when no create or removal runs (their lock is free): it never waits behind a large deletion.
        using (var volumes = FileLock.TryAcquire(Location, VolumesLock))
        {
            if (volumes is not null)
                RemoveUnrecordedLocked();
        }
        var containers = new ContainerStore(Location).List();
        var result = new List<ContainerVolumeInfo>();
        foreach (var dir in Directory.EnumerateDirectories(Location.VolumesDirectory))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith(RemovingPrefix, StringComparison.Ordinal))
            {
                // A removal a kill -9 interrupted: finish it, so the next reader finds a clean store.
                Delete(dir);
                continue;
            }
            if (Read(name) is { } record)
                result.Add(Describe(record, Users(containers, name)));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>
    /// Deletes a volume and its data. Refused while a container names it (ResourceBusy), unless
    /// <paramref name="force"/>; even then never while one of them runs, since its files would vanish under it.
    /// </summary>
    public void Remove(string name, bool force)
    {
        using var names = FileLock.Acquire(Location, ContainerStore.NamesLock);
        using var volumes = FileLock.Acquire(Location, VolumesLock);
        RemoveUnrecordedLocked();
        if (Read(name) is null)
            throw new EngineException("VolumeNotFound", ErrorKind.NotFound, name, $"no volume named '{name}'");
        var users = new ContainerStore(Location).UsingVolume(name);
        var running = users.Where(c => c.IsRunning).Select(c => c.Name).ToList();
        if (running.Count > 0 || (users.Count > 0 && !force))
            throw new EngineException("VolumeInUse", ErrorKind.ResourceBusy, name,
                $"volume '{name}' is in use by container(s) {string.Join(", ", (running.Count > 0 ? running : users.Select(c => c.Name)))}: "
                + (running.Count > 0 ? "stop them first" : "remove them first, or use -Force"));
        DeleteLocked(name);
    }

    /// <summary>
    /// Deletes those of <paramref name="names"/> that exist and no container names any more (a removed
    /// container's anonymous volumes). The caller holds the containers' names lock, so none takes one up meanwhile.
    /// </summary>
    internal void RemoveUnused(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            return;
        using var volumes = FileLock.Acquire(Location, VolumesLock);
        var containers = new ContainerStore(Location);
        foreach (var name in names)
        {
            if (Read(name) is not null && containers.UsingVolume(name).Count == 0)
                DeleteLocked(name);
        }
    }

    /// <summary>Renamed away first (one atomic step), then deleted: a kill midway leaves a directory <see cref="List"/> finishes.</summary>
    private void DeleteLocked(string name)
    {
        string directory = Path.Combine(Location.VolumesDirectory, name);
        string trash = Path.Combine(Location.VolumesDirectory, RemovingPrefix + name);
        Directory.Move(directory, trash);
        AtomicFile.SyncDirectory(Location.VolumesDirectory);
        Delete(trash);
    }

    /// <summary>
    /// Under the volumes lock: deletes the directories a create killed between making them and writing their record
    /// left. Nothing can use one: a volume is handed to a container only once its record is written, under this lock.
    /// </summary>
    private void RemoveUnrecordedLocked()
    {
        if (!Directory.Exists(Location.VolumesDirectory))
            return;
        foreach (var dir in Directory.EnumerateDirectories(Location.VolumesDirectory))
        {
            if (!Path.GetFileName(dir).StartsWith(RemovingPrefix, StringComparison.Ordinal) && !File.Exists(Path.Combine(dir, RecordFile)))
                Delete(dir);
        }
    }

    private VolumeRecord CreateLocked(string name, IReadOnlyDictionary<string, string>? labels)
    {
        var record = new VolumeRecord { Name = name, Created = DateTime.UtcNow, Labels = labels ?? new Dictionary<string, string>() };
        // The data directory first, the record last: a crash between leaves no record pointing at nothing, and a
        // directory without a record, which the next volume command deletes.
        Directory.CreateDirectory(Mountpoint(name));
        AtomicFile.WriteAllBytes(RecordPath(name), JsonSerializer.SerializeToUtf8Bytes(record, VolumesJsonContext.Default.VolumeRecord));
        return record;
    }

    private VolumeRecord? Read(string name)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(RecordPath(name)), VolumesJsonContext.Default.VolumeRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string RecordPath(string name) => Path.Combine(Location.VolumesDirectory, name, RecordFile);

    private ContainerVolumeInfo Describe(VolumeRecord record, IReadOnlyList<string> users) =>
        new(record.Name, record.Driver, Mountpoint(record.Name), record.Created, record.Labels, SizeOf(Mountpoint(record.Name)), users);

    private static IReadOnlyList<string> Users(IEnumerable<ContainerSnapshot> containers, string name) =>
        containers.Where(c => c.Record.Volumes.Contains(name)).Select(c => c.Name).ToList();

    private static long SizeOf(string directory)
    {
        if (!Directory.Exists(directory))
            return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        var sizes = new FileSystemEnumerable<long>(directory, Size, options)
        {
            // Never into a link: a container's `ln -s / /data/root` had this walk the host's whole tree, /proc included.
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !entry.Attributes.HasFlag(FileAttributes.ReparsePoint),
        };
        return sizes.Sum();

        static long Size(ref FileSystemEntry entry) =>
            entry.IsDirectory || entry.Attributes.HasFlag(FileAttributes.ReparsePoint) ? 0 : entry.Length;
    }

    private static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Another process finished the same deletion.
        }
    }
}
