using ContainerTools.Core.Store;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// The compiled filter beside a container's config.json: written when the container is created (host side,
/// where libseccomp is), read by its init before pivot_root. No file means no filter (seccomp=unconfined).
/// </summary>
public static class SeccompFilterFile
{
    public const string Name = "seccomp.bpf";

    /// <summary>Writes it into a container's staging directory (see <see cref="AtomicFile.WriteStaged"/>).</summary>
    public static void Write(string containerDirectory, byte[]? program)
    {
        if (program is not null)
            AtomicFile.WriteStaged(Path.Combine(containerDirectory, Name), program);
    }

    public static byte[]? Read(string containerDirectory)
    {
        string path = Path.Combine(containerDirectory, Name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }
}
