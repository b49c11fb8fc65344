using System.Security.Cryptography;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Volumes;

/// <summary>
/// One -Volume as docker run -v writes it: name:/path[:ro] (a named volume, created on first use and seeded
/// with what the image has there), /host/dir:/path[:ro] (a bind mount of an existing host path) or /path[:ro]
/// alone (an anonymous volume: a new one for this container, named by a random id as Docker's).
/// </summary>
/// <param name="VolumeName">The volume, or null for a bind mount.</param>
/// <param name="Anonymous">The volume was made up for this container (-Volume /path, or the image's VOLUME).</param>
/// <param name="NoCopy">The volume is not filled with the image's content at its path (docker's :nocopy).</param>
public sealed record VolumeMount(string Source, string Destination, bool ReadOnly, string? VolumeName, bool Anonymous = false, bool NoCopy = false)
{
    public static VolumeMount Parse(string text, VolumeStore volumes)
    {
        var parts = text.Split(':');
        if (parts[0].StartsWith('/') && (parts.Length == 1 || (parts.Length == 2 && !parts[1].StartsWith('/'))))
        {
            var (anonymousReadOnly, anonymousNoCopy) = ParseOptions(parts.Length == 2 ? parts[1] : null, text);
            return AnonymousAt(MountDestination.Validate(parts[0], text), anonymousReadOnly, volumes) with { NoCopy = anonymousNoCopy };
        }
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
            throw new EngineException("InvalidVolumeSpecification", ErrorKind.InvalidArgument, text,
                $"'{text}' is not name:/path[:ro], /host/path:/path[:ro] or /path[:ro]");
        string destination = MountDestination.Validate(parts[1], text);
        var (readOnly, noCopy) = ParseOptions(parts.Length == 3 ? parts[2] : null, text);
        if (!parts[0].StartsWith('/'))
        {
            VolumeStore.ValidateName(parts[0]);
            return new VolumeMount(volumes.Mountpoint(parts[0]), destination, readOnly, parts[0], NoCopy: noCopy);
        }
        string source = Path.GetFullPath(parts[0]);
        if (!Path.Exists(source))
            throw new EngineException("BindSourceNotFound", ErrorKind.NotFound, parts[0],
                $"the bind mount source '{parts[0]}' does not exist on the host");
        return new VolumeMount(source, destination, readOnly, null);
    }

    /// <summary>A new anonymous volume at <paramref name="destination"/> (already validated).</summary>
    public static VolumeMount AnonymousAt(string destination, bool readOnly, VolumeStore volumes)
    {
        string name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return new VolumeMount(volumes.Mountpoint(name), destination, readOnly, name, Anonymous: true);
    }

    /// <summary>
    /// docker run -v's options: ro, rw, nocopy, and z or Z, which relabel for SELinux where it is enforced and are
    /// accepted and ignored here (as on any host without SELinux), so a command written for Fedora runs unchanged.
    /// </summary>
    private static (bool ReadOnly, bool NoCopy) ParseOptions(string? options, string text)
    {
        bool readOnly = false, noCopy = false;
        foreach (var option in options?.Split(',') ?? [])
        {
            switch (option)
            {
                case "ro": readOnly = true; break;
                case "rw": readOnly = false; break;
                case "nocopy": noCopy = true; break;
                case "z" or "Z": break;
                default:
                    throw new EngineException("InvalidVolumeOption", ErrorKind.InvalidArgument, text,
                        $"'{option}' in '{text}' is not a volume option: use ro, rw, nocopy, z or Z");
            }
        }
        return (readOnly, noCopy);
    }

    public SpecMount ToSpec() => new()
    {
        Destination = Destination,
        Type = "bind",
        Source = Source,
        // A volume starts as the image's content at that path, as Docker's do.
        Options = ["rbind", "rprivate", ReadOnly ? "ro" : "rw", .. VolumeName is null || NoCopy ? Array.Empty<string>() : ["copy"]],
    };
}
