namespace ContainerTools.Core.Isolation;

/// <summary>OCI mount options ("nosuid", "ro", "mode=755", ...) split into mount(2) flags and filesystem data.</summary>
/// <param name="Copy">Seed an empty volume with what the image has at the target first (podman's "copy", Docker's default).</param>
public sealed record MountOptions(ulong Flags, string? Data, bool Bind, bool ReadOnly, bool Copy)
{
    public static MountOptions Parse(IEnumerable<string> options)
    {
        ulong flags = 0;
        bool bind = false, readOnly = false, copy = false;
        var data = new List<string>();
        foreach (var option in options)
        {
            switch (option)
            {
                case "ro": readOnly = true; break;
                case "rw": break;
                case "nosuid": flags |= Native.Linux.MS_NOSUID; break;
                case "nodev": flags |= Native.Linux.MS_NODEV; break;
                case "noexec": flags |= Native.Linux.MS_NOEXEC; break;
                case "noatime": flags |= Native.Linux.MS_NOATIME; break;
                case "relatime": flags |= Native.Linux.MS_RELATIME; break;
                case "strictatime": flags |= Native.Linux.MS_STRICTATIME; break;
                case "bind": bind = true; break;
                case "copy": copy = true; break;
                case "nocopy": copy = false; break;
                case "rbind": bind = true; flags |= Native.Linux.MS_REC; break;
                // Propagation: every mount below the container's rprivate root is private already.
                case "private" or "rprivate" or "slave" or "rslave" or "shared" or "rshared": break;
                default: data.Add(option); break;
            }
        }
        return new MountOptions(flags, data.Count == 0 ? null : string.Join(',', data), bind, readOnly, copy);
    }
}
