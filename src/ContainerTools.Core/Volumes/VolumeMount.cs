using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Volumes;

/// <summary>
/// One -Volume as docker run -v writes it: name:/path[:ro] (a named volume, created on first use and seeded
/// with what the image has there) or /host/dir:/path[:ro] (a bind mount of an existing host path).
/// </summary>
/// <param name="VolumeName">The named volume, or null for a bind mount.</param>
public sealed record VolumeMount(string Source, string Destination, bool ReadOnly, string? VolumeName)
{
    public static VolumeMount Parse(string text, VolumeStore volumes)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
            throw new EngineException("InvalidVolumeSpecification", ErrorKind.InvalidArgument, text,
                $"'{text}' is not name:/path[:ro] or /host/path:/path[:ro]");
        string destination = MountDestination.Validate(parts[1], text);
        bool readOnly = false;
        foreach (var option in parts.Length == 3 ? parts[2].Split(',') : [])
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

    public SpecMount ToSpec() => new()
    {
        Destination = Destination,
        Type = "bind",
        Source = Source,
        // A named volume starts as the image's content at that path, as Docker's do.
        Options = ["rbind", "rprivate", ReadOnly ? "ro" : "rw", .. VolumeName is null ? Array.Empty<string>() : ["copy"]],
    };
}
