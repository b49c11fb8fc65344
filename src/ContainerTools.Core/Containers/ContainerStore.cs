using System.Security.Cryptography;
using System.Text.Json;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Containers;

/// <summary>
/// The containers of a store: creating their files, finding them by id, id prefix or name, renaming, and
/// deleting their files. Names are changed under the store-wide "containers" lock; each container's
/// record under its own lock. Lifecycle (start, stop, remove) is <see cref="ContainerLifecycle"/>.
/// </summary>
public sealed class ContainerStore(StoreLocation store) : Images.IImageUsers
{
    /// <summary>Held while names change and while a volume is removed (so no container takes it up meanwhile).</summary>
    internal const string NamesLock = "containers";
    /// <summary>A container directory renamed to this prefix is being deleted; listings skip it and finish the job.</summary>
    private const string RemovingPrefix = ".removing-";

    public StoreLocation Location { get; } = store;

    public ContainerPaths Paths(string id) => new(Location, id);

    public ContainerSnapshot Create(ContainerImage image, ContainerOptions options)
    {
        if (options.Name is not null)
            ContainerNames.Validate(options.Name);
        if (options.Hostname is { } host && (host.Length is 0 or > 64 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))))
            throw new EngineException("InvalidHostname", ErrorKind.InvalidArgument, host, $"'{host}' is not a valid host name");
        // As podman refuses it: a label without a key can never be asked for by key.
        if (options.Labels?.Keys.FirstOrDefault(string.IsNullOrWhiteSpace) is { } key)
            throw new EngineException("InvalidLabel", ErrorKind.InvalidArgument, key, $"a label needs a key: '{key}' is none");
        if (options.StopTimeout is < 0)
            throw new EngineException("InvalidStopTimeout", ErrorKind.InvalidArgument, options.StopTimeout,
                $"-StopTimeout {options.StopTimeout}: a stop waits 0 seconds or more before SIGKILL");
        var healthCheck = HealthCheck.Resolve(image.Defaults.Healthcheck, options.HealthCommand, options.HealthInterval, options.HealthTimeout,
            options.HealthStartPeriod, options.HealthRetries, options.NoHealthCheck);
        var restart = options.Restart ?? RestartPolicy.None;
        restart.CheckWith(options.AutoRemove, options.Terminal);
        int stopSignal = Signals.Parse(options.StopSignal ?? (image.Defaults.StopSignal is { Length: > 0 } imageSignal ? imageSignal : "SIGTERM"));
        var network = options.Network ?? new Networking.NetworkSettings();
        network.Validate(Location);
        if (options.Limits is { } limits)
            ResourceLimitsValidator.Validate(limits);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var paths = Paths(id);
        // On the host's network it is named as the host, as with docker and podman; else its short id.
        string hostname = options.Hostname ?? (network.SharesHostNetwork ? System.Net.Dns.GetHostName() : id[..12]);
        var security = ContainerSecurity.From(options.CapabilityAdd, options.CapabilityDrop, options.Privileged, options.SecurityOptions, options.Ulimits);
        var mounts = Volumes.ContainerMounts.Parse(Location, options.Volumes, options.Tmpfs, image.Defaults.Volumes);
        var spec = SpecBuilder.Build(image, options, security, paths, hostname, mounts.Mounts);
        var userNamespace = options.UserNamespace == UserNamespaceMode.Auto ? UserNamespaceSettings.Load(Location) : null;
        var delegated = userNamespace?.Delegated();
        RemoveLeftovers();

        using var names = FileLock.Acquire(Location, NamesLock);
        // Under the names lock: no other creation picks the same ids meanwhile.
        var ids = delegated is { } ranges ? userNamespace!.Allocate(ranges, IdsInUse()) : null;
        if (ids is not null)
            spec = ContainerUserNamespace.Apply(spec, ids);
        var index = Names();
        index.EnsureBuilt(StoredIds());
        string name = options.Name ?? ContainerNames.Generate(candidate => index.IdOf(candidate) is not null);
        if (index.IdOf(name) is { } existing)
            throw new EngineException("ContainerNameInUse", ErrorKind.AlreadyExists, name,
                $"the name '{name}' is already used by container {existing[..12]}: remove or rename that container, or choose another name");
        // After every check: a refused container leaves no new filter in the cache either (compiled once per profile).
        string? seccomp = security.SeccompFile(new SeccompFilterCache(Location.SeccompDirectory));
        var record = new ContainerRecord
        {
            Id = id,
            Name = name,
            Image = image.Reference,
            ImageId = image.Id,
            Created = DateTime.UtcNow,
            Command = spec.Process.Args,
            Hostname = hostname,
            Labels = options.Labels ?? new Dictionary<string, string>(),
            StopSignal = stopSignal,
            StopTimeout = options.StopTimeout ?? ContainerRecord.DefaultStopTimeout,
            Network = network,
            Resolver = options.Resolver ?? Networking.ResolverSettings.None,
            Limits = options.Limits ?? ResourceLimits.None,
            Volumes = mounts.Volumes,
            AnonymousVolumes = mounts.AnonymousVolumes,
            UserNamespace = ids,
            AutoRemove = options.AutoRemove,
            Restart = restart,
            HealthCheck = healthCheck,
            Privileged = security.Privileged,
        };
        // Everything is written into a hidden directory first and renamed into place: a crash leaves no half container.
        string staging = Path.Combine(Location.ContainersDirectory, RemovingPrefix + id);
        var staged = new ContainerPaths(Location, RemovingPrefix + id);
        try
        {
            Directory.CreateDirectory(staging);
            Directory.CreateDirectory(staged.Upper);
            Directory.CreateDirectory(staged.Work);
            if (ids is not null)
                ContainerUserNamespace.GiveOverlayDirectories(staged, ids);
            AtomicFile.WriteStaged(staged.Config, spec.ToJson());
            SeccompFilterFile.Link(staged.Directory, seccomp);
            AtomicFile.WriteStaged(staged.Record, JsonSerializer.SerializeToUtf8Bytes(record, ContainersJsonContext.Default.ContainerRecord));
            // Under the names lock: a volume being removed waits, or is gone and made anew here. After the staged
            // record: a kill from here on leaves its anonymous volumes to RemoveLeftovers, as a removal's.
            mounts.EnsureVolumes(Location);
            // Its name before the container: a kill between them leaves a link to no container, which counts for nothing.
            index.Set(name, id);
            AtomicFile.Publish(staging, paths.Directory);
        }
        catch
        {
            index.Remove(name, id);
            new Volumes.VolumeStore(Location).RemoveUnused(mounts.AnonymousVolumes);
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
        return ContainerSnapshot.Observe(record, null);
    }

    /// <summary>Every container, read from its files only.</summary>
    public IReadOnlyList<ContainerSnapshot> List()
    {
        if (!Directory.Exists(Location.ContainersDirectory))
            return [];
        var result = new List<ContainerSnapshot>();
        bool leftovers = false;
        foreach (var dir in Directory.EnumerateDirectories(Location.ContainersDirectory))
        {
            string id = Path.GetFileName(dir);
            if (id.StartsWith(RemovingPrefix, StringComparison.Ordinal))
            {
                leftovers = true;
                continue;
            }
            if (Read(id) is { } snapshot)
                result.Add(snapshot);
        }
        // A removal or creation a kill -9 interrupted: finished here, so the next reader finds a clean store.
        if (leftovers)
            RemoveLeftovers();
        result.Sort((a, b) => b.Record.Created.CompareTo(a.Record.Created));
        return result;
    }

    public ContainerSnapshot? Read(string id)
    {
        var record = ReadRecord(id);
        return record is null ? null : ContainerSnapshot.Observe(record, ReadState(id), new Networking.ContainerNetworking(Location).Get(id),
            record.HealthCheck is null ? null : ReadHealth(id));
    }

    /// <summary>What the health checks of its current run found; null before the first.</summary>
    public ContainerHealth? ReadHealth(string id)
    {
        try
        {
            return ReadJson(Paths(id).Health, ContainersJsonContext.Default.ContainerHealth);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Written as the state is: atomically, not synced (it describes a run, which no reboot keeps).</summary>
    public void WriteHealth(string id, ContainerHealth health) =>
        AtomicFile.WriteAllBytes(Paths(id).Health, JsonSerializer.SerializeToUtf8Bytes(health, ContainersJsonContext.Default.ContainerHealth),
            createDirectory: false, durable: false);

    /// <summary>The record alone, without state and networks: what a monitor needs to start the container.</summary>
    public ContainerRecord? ReadRecord(string id) => ReadJson(Paths(id).Record, ContainersJsonContext.Default.ContainerRecord);

    /// <summary>
    /// The state, or null before the first start. A state a power loss left unreadable (it is never synced,
    /// see <see cref="WriteState"/>) was written by a start, and nothing survives a restart: it reads as
    /// exited, exit code unknown, as a dead monitor's Running does.
    /// </summary>
    public ContainerState? ReadState(string id)
    {
        try
        {
            return ReadJson(Paths(id).State, ContainersJsonContext.Default.ContainerState);
        }
        catch (JsonException)
        {
            return new ContainerState { Status = ContainerStatus.Exited, Error = "its state was lost (the machine stopped while it ran)" };
        }
    }

    /// <summary>
    /// Records a container's state; a DirectoryNotFoundException when the container has been removed meanwhile.
    /// Atomic (a killed writer leaves the old state or the new) but never synced: it describes processes no
    /// restart of the machine keeps, and the fsyncs of the temp file and directory were ~1.5 ms at every
    /// container's end. After a power loss <see cref="ReadState"/> reads a lost state as exited.
    /// </summary>
    public void WriteState(string id, ContainerState state) =>
        AtomicFile.WriteAllBytes(Paths(id).State, JsonSerializer.SerializeToUtf8Bytes(state, ContainersJsonContext.Default.ContainerState),
            createDirectory: false, durable: false);

    /// <summary>
    /// Finds one container by full id, exact name or unique id prefix; throws NotFound otherwise. A full id (what
    /// the cmdlets pass on after a create, and a pipeline of container objects) is read directly rather than among
    /// every container's files; like Docker, an exact id comes before a name.
    /// </summary>
    public ContainerSnapshot Find(string nameOrId)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
            throw new EngineException("ContainerNotFound", ErrorKind.NotFound, nameOrId, "no container name or id was given");
        if (nameOrId.Length == 64 && nameOrId.All(char.IsAsciiHexDigitLower) && Read(nameOrId) is { } exact)
            return exact;
        // Which container, from its name's link or the directory names (an id prefix); only that one is read whole.
        string? id = NamedId(nameOrId);
        if (id is null)
        {
            string prefix = nameOrId.ToLowerInvariant();
            var byId = StoredIds().Where(stored => stored.StartsWith(prefix, StringComparison.Ordinal) && ReadRecord(stored) is not null).ToList();
            if (byId.Count > 1)
                throw new EngineException("AmbiguousContainerId", ErrorKind.InvalidArgument, nameOrId,
                    $"'{nameOrId}' matches {byId.Count} containers: give more of the id");
            id = byId.FirstOrDefault();
        }
        return (id is null ? null : Read(id)) ?? throw NotFound(nameOrId);
    }

    /// <summary>
    /// Finds one container (as <see cref="Find"/>), takes its lock and reads it again under it; throws NotFound when it
    /// was deleted meanwhile. The caller disposes what it gets.
    /// </summary>
    public LockedContainer FindLocked(string nameOrId)
    {
        string id = Find(nameOrId).Id;
        var held = Lock(id) ?? throw NotFound(nameOrId);
        try
        {
            return new LockedContainer(held, Read(id) ?? throw NotFound(nameOrId));
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public static EngineException NotFound(string nameOrId) =>
        new("ContainerNotFound", ErrorKind.NotFound, nameOrId, $"no container named or with id '{nameOrId}'");

    public IReadOnlyList<string> ContainersUsing(string imageId) =>
        List().Where(c => c.Record.ImageId == imageId).Select(c => c.Name).ToList();

    /// <summary>
    /// The containers that mount volume <paramref name="name"/>. Repairs nothing, so a caller holding the
    /// names lock may use it (a repair takes that lock).
    /// </summary>
    public IReadOnlyList<ContainerSnapshot> UsingVolume(string name) =>
        StoredIds().Select(Read).Where(c => c is not null && c.Record.Volumes.Contains(name)).ToList()!;

    /// <summary>The records of the containers that join network <paramref name="name"/> when they start, running or not. Repairs nothing.</summary>
    public IReadOnlyList<ContainerRecord> UsingNetwork(string name) =>
        StoredIds().Select(ReadRecord).OfType<ContainerRecord>().Where(record => record.Network.Networks.Any(n => n.Network == name)).ToList();

    /// <summary>
    /// The ports the containers publish, running or not, from their records alone; read only when enumerated, so a
    /// creation that picks no host port reads nothing.
    /// </summary>
    public IEnumerable<Networking.PortMapping> PublishedPorts() =>
        StoredIds().Select(ReadRecord).OfType<ContainerRecord>().SelectMany(record => record.Network.Ports);

    /// <summary>The ids of the containers' directories, leaving out those being created or removed. Repairs nothing.</summary>
    private IEnumerable<string> StoredIds() => !Directory.Exists(Location.ContainersDirectory) ? [] :
        Directory.EnumerateDirectories(Location.ContainersDirectory)
            .Select(dir => Path.GetFileName(dir))
            .Where(id => !id.StartsWith(RemovingPrefix, StringComparison.Ordinal));

    /// <summary>The ids of every container with a user namespace. Repairs nothing, so a caller holding the names lock may use it.</summary>
    private List<ContainerIds> IdsInUse() => !Directory.Exists(Location.ContainersDirectory) ? [] :
        Directory.EnumerateDirectories(Location.ContainersDirectory)
            .Select(dir => ReadJson(new ContainerPaths(Location, Path.GetFileName(dir)).Record, ContainersJsonContext.Default.ContainerRecord)?.UserNamespace)
            .OfType<ContainerIds>()
            .ToList();

    /// <summary>The names of this store's containers (see <see cref="ContainerNameIndex"/>).</summary>
    private ContainerNameIndex Names() => new(Location, ReadRecord);

    /// <summary>The id of the container named <paramref name="name"/>, or null; builds the name index when it is missing.</summary>
    private string? NamedId(string name)
    {
        if (!Directory.Exists(Location.ContainersDirectory))
            return null;
        var index = Names();
        if (!index.Exists)
        {
            using var names = FileLock.Acquire(Location, NamesLock);
            index.EnsureBuilt(StoredIds());
        }
        return index.IdOf(name);
    }

    public ContainerSnapshot Rename(string nameOrId, string newName)
    {
        ContainerNames.Validate(newName);
        // The container's lock before the names lock, in the order a removal takes them (see DeleteFiles).
        using var locked = FindLocked(nameOrId);
        using var names = FileLock.Acquire(Location, NamesLock);
        var container = locked.Container;
        if (container.Name == newName)
            return container;
        var index = Names();
        index.EnsureBuilt(StoredIds());
        if (index.IdOf(newName) is { } other)
            throw new EngineException("ContainerNameInUse", ErrorKind.AlreadyExists, newName,
                $"the name '{newName}' is already used by container {other[..12]}");
        var record = container.Record with { Name = newName };
        // The new link first, the old one last: a kill in between leaves the old one stale, which counts for nothing.
        index.Set(newName, container.Id);
        WriteRecord(record);
        index.Remove(container.Name, container.Id);
        // The networks lock after the names lock: nothing takes them the other way round.
        new Networking.ContainerNetworking(Location).Rename(container.Id, newName);
        return container with { Record = record };
    }

    /// <summary>
    /// Takes a container's lock (serializing its lifecycle transitions); null when the container is gone, or with
    /// <paramref name="wait"/> false when someone holds it. A late comer to a deleted container leaves nothing behind.
    /// </summary>
    public FileLock? Lock(string id, bool wait = true) => FileLock.InDirectory(Paths(id).Lock, wait);

    /// <summary>Replaces a container's record; the caller holds the container's lock.</summary>
    public void WriteRecord(ContainerRecord record) =>
        AtomicFile.WriteAllBytes(Paths(record.Id).Record, JsonSerializer.SerializeToUtf8Bytes(record, ContainersJsonContext.Default.ContainerRecord));

    /// <summary>
    /// Deletes a stopped container's files: renamed away first, so a crash midway leaves no half record. Its
    /// anonymous volumes go too when <paramref name="anonymousVolumes"/> (docker rm -v) or it is auto-remove
    /// (docker run --rm), unless another container mounts them. The caller holds the container's lock.
    /// </summary>
    public void DeleteFiles(string id, bool anonymousVolumes = false)
    {
        var paths = Paths(id);
        string trash = Path.Combine(Location.ContainersDirectory, RemovingPrefix + id);
        var record = ReadRecord(id);
        if (record is { AnonymousVolumes.Count: > 0, AutoRemove: false } && !anonymousVolumes)
        {
            // Kept, as docker rm without -v keeps them: off the record first, since the renamed record is what
            // says which volumes go, also to RemoveLeftovers after a kill.
            record = record with { AnonymousVolumes = [] };
            WriteRecord(record);
        }
        if (Directory.Exists(paths.Directory))
        {
            Directory.Move(paths.Directory, trash);
            AtomicFile.SyncDirectory(Location.ContainersDirectory);
        }
        // No record left in place: a removal a kill interrupted after its rename, whose record is in the trash.
        record ??= TrashedRecord(id);
        using (FileLock.Acquire(Location, NamesLock))
            ForgetRemoved(id, record);
        DeleteRemoved(id);
    }

    /// <summary>A removed container's name and, unless others mount them, its anonymous volumes; the caller holds the names lock.</summary>
    private void ForgetRemoved(string id, ContainerRecord? record)
    {
        if (record is null)
            return;
        Names().Remove(record.Name, id);
        if (record.AnonymousVolumes.Count > 0)
            new Volumes.VolumeStore(Location).RemoveUnused(record.AnonymousVolumes);
    }

    /// <summary>Finishes deletions a killed process left behind (directories under the removing prefix).</summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(Location.ContainersDirectory))
            return;
        using var names = FileLock.Acquire(Location, NamesLock);
        foreach (var dir in Directory.EnumerateDirectories(Location.ContainersDirectory, RemovingPrefix + "*"))
        {
            string id = Path.GetFileName(dir)[RemovingPrefix.Length..];
            ForgetRemoved(id, TrashedRecord(id));
            DeleteRemoved(id);
        }
    }

    /// <summary>The record of a container renamed away (removed, or staged and never made): it says which name and anonymous volumes go with it.</summary>
    private ContainerRecord? TrashedRecord(string id)
    {
        try
        {
            return ReadJson(new ContainerPaths(Location, RemovingPrefix + id).Record, ContainersJsonContext.Default.ContainerRecord);
        }
        catch (JsonException)
        {
            // A creation killed while it wrote the record: its name and volumes come after it, so none are there.
            return null;
        }
    }

    /// <summary>The files of a container renamed away: its run directory first, so a kill midway leaves the renamed one for <see cref="RemoveLeftovers"/>.</summary>
    private void DeleteRemoved(string id)
    {
        DeleteTree(Paths(id).RunDirectory);
        DeleteTree(Path.Combine(Location.ContainersDirectory, RemovingPrefix + id));
    }

    /// <summary>Deletes a directory tree another process may be deleting at the same moment.</summary>
    private static void DeleteTree(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 3)
            {
                // The other deleter removed entries under us; go again over what is left.
            }
        }
    }

    /// <summary>
    /// Builds the record's and the state's JSON metadata ahead of their first use (~1 ms of one-time work in a
    /// fresh NativeAOT process): a spare monitor does it before it has a container.
    /// </summary>
    public static void WarmJson()
    {
        var sample = new ContainerRecord { Id = "", Name = "", Image = "", Created = default, Command = [], Hostname = "" };
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(sample, ContainersJsonContext.Default.ContainerRecord), ContainersJsonContext.Default.ContainerRecord);
        WarmStateJson();
    }

    /// <summary>The state's JSON metadata and encoder alone (~0.3 ms of one-time work), ahead of its first write.</summary>
    public static void WarmStateJson() => JsonSerializer.SerializeToUtf8Bytes(new ContainerState(), ContainersJsonContext.Default.ContainerState);

    private static T? ReadJson<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
