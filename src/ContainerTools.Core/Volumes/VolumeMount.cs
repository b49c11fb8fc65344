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
public sealed record VolumeMount(string Source, string Destination, bool ReadOnly, string? VolumeName, bool Anonymous = false)
{
    public static VolumeMount Parse(string text, VolumeStore volumes)
    {
        var parts = text.Split(':');
        if (parts[0].StartsWith('/') && (parts.Length == 1 || (parts.Length == 2 && !parts[1].StartsWith('/'))))
            return AnonymousAt(MountDestination.Validate(parts[0], text), ParseReadOnly(parts.Length == 2 ? parts[1] : null, text), volumes);
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
            throw new EngineException("InvalidVolumeSpecification", ErrorKind.InvalidArgument, text,
                $"'{text}' is not name:/path[:ro], /host/path:/path[:ro] or /path[:ro]");
        string destination = MountDestination.Validate(parts[1], text);
        bool readOnly = ParseReadOnly(parts.Length == 3 ? parts[2] : null, text);
        if (!parts[0].StartsWith('/'))
        {
            VolumeStore.ValidateName(parts[0]);
            return new VolumeMount(volumes.Mountpoint(parts[0]), destination, readOnly, parts[0]);
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

    private static bool ParseReadOnly(string? options, string text)
    {
        bool readOnly = false;
        foreach (var option in options?.Split(',') ?? [])
        {
            switch (option)
            {
                case "ro": readOnly = true; break;
                case "rw": readOnly = false; break;
                default:
                    throw new EngineException("InvalidVolumeOption", ErrorKind.InvalidArgument, text,
                        $"'{option}' in '{text}' is not a volume option: use ro or rw");
            }
        }
        return readOnly;
    }

    public SpecMount ToSpec() => new()
    {
        Destination = Destination,
        Type = "bind",
        Source = Source,
        // A volume starts as the image's content at that path, as Docker's do.
        Options = ["rbind", "rprivate", ReadOnly ? "ro" : "rw", .. VolumeName is null ? Array.Empty<string>() : ["copy"]],
    };
}
