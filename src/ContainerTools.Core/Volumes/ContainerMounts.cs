using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Volumes;

/// <summary>
/// The volumes, bind mounts and tmpfs a container asked for, checked before anything is created, in the
/// order they must be mounted (a parent before what is mounted inside it).
/// </summary>
/// <param name="Volumes">Names of the named volumes among them.</param>
public sealed record ContainerMounts(IReadOnlyList<SpecMount> Mounts, IReadOnlyList<string> Volumes)
{
    public static ContainerMounts None { get; } = new([], []);

    public static ContainerMounts Parse(StoreLocation store, IReadOnlyList<string>? volumes, IReadOnlyList<string>? tmpfs)
    {
        var volumeStore = new VolumeStore(store);
        var parsed = (volumes ?? []).Select(v => VolumeMount.Parse(v, volumeStore)).ToList();
        var mounts = parsed.Select(v => v.ToSpec()).Concat((tmpfs ?? []).Select(TmpfsMount.Parse)).ToList();
        if (mounts.GroupBy(m => m.Destination).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new EngineException("DuplicateMountPoint", ErrorKind.InvalidArgument, duplicate.Key,
                $"'{duplicate.Key}' is the destination of more than one -Volume or -Tmpfs");
        return new ContainerMounts(
            mounts.OrderBy(m => m.Destination.Count(c => c == '/')).ToList(),
            parsed.Where(v => v.VolumeName is not null).Select(v => v.VolumeName!).Distinct().ToList());
    }

    /// <summary>Creates the named volumes that do not exist yet (docker run does).</summary>
    public void EnsureVolumes(StoreLocation store)
    {
        var volumeStore = new VolumeStore(store);
        foreach (var name in Volumes)
            volumeStore.Ensure(name);
    }
}
