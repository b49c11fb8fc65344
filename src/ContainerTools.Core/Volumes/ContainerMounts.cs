using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Volumes;

/// <summary>
/// The volumes, bind mounts and tmpfs a container asked for, checked before anything is created, in the
/// order they must be mounted (a parent before what is mounted inside it).
/// </summary>
/// <param name="Volumes">Names of the volumes among them, named and anonymous.</param>
/// <param name="AnonymousVolumes">Names of the volumes made up for this container (a subset of <paramref name="Volumes"/>).</param>
public sealed record ContainerMounts(IReadOnlyList<SpecMount> Mounts, IReadOnlyList<string> Volumes, IReadOnlyList<string> AnonymousVolumes)
{
    public static ContainerMounts None { get; } = new([], [], []);

    /// <param name="imageVolumes">The image's VOLUMEs: each gets an anonymous volume unless something else is mounted there, as with docker.</param>
    public static ContainerMounts Parse(StoreLocation store, IReadOnlyList<string>? volumes, IReadOnlyList<string>? tmpfs, IReadOnlyList<string>? imageVolumes = null)
    {
        var volumeStore = new VolumeStore(store);
        var parsed = (volumes ?? []).Select(v => VolumeMount.Parse(v, volumeStore)).ToList();
        var mounts = parsed.Select(v => v.ToSpec()).Concat((tmpfs ?? []).Select(TmpfsMount.Parse)).ToList();
        if (mounts.GroupBy(m => m.Destination).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new EngineException("DuplicateMountPoint", ErrorKind.InvalidArgument, duplicate.Key,
                $"'{duplicate.Key}' is the destination of more than one -Volume or -Tmpfs");
        var taken = mounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        var fromImage = (imageVolumes ?? [])
            .Select(path => MountDestination.Validate(path, path))
            .Distinct(StringComparer.Ordinal)
            .Where(destination => !taken.Contains(destination))
            .Select(destination => VolumeMount.AnonymousAt(destination, readOnly: false, volumeStore))
            .ToList();
        parsed.AddRange(fromImage);
        mounts.AddRange(fromImage.Select(v => v.ToSpec()));
        return new ContainerMounts(
            mounts.OrderBy(m => m.Destination.Count(c => c == '/')).ToList(),
            parsed.Where(v => v.VolumeName is not null).Select(v => v.VolumeName!).Distinct().ToList(),
            parsed.Where(v => v.Anonymous).Select(v => v.VolumeName!).ToList());
    }

    /// <summary>Creates the volumes that do not exist yet (docker run does): the named ones on first use, the anonymous ones always.</summary>
    public void EnsureVolumes(StoreLocation store)
    {
        var volumeStore = new VolumeStore(store);
        foreach (var name in Volumes)
            volumeStore.Ensure(name);
    }
}
