using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// The compiled filter beside a container's config.json: written when the container is created (host side,
/// where libseccomp is), read by its init before pivot_root. No file means no filter (seccomp=unconfined).
/// </summary>
public static class SeccompFilterFile
{
    public const string Name = "seccomp.bpf";

    /// <summary>
    /// Puts the store's cached program (<see cref="SeccompFilterCache.FileOf"/>, null for none) into a container's
    /// staging directory as a hard link: the cache file is durable and never changed once written, so the container
    /// gets the same bytes without a copy to write out at its creation and free again at its removal (~10 KB each).
    /// A store whose cache is on another file system gets a copy (see <see cref="AtomicFile.WriteStaged"/>).
    /// </summary>
    public static void Link(string containerDirectory, string? cachedProgram)
    {
        if (cachedProgram is null)
            return;
        string path = Path.Combine(containerDirectory, Name);
        int linked = Linux.linkat(Linux.AT_FDCWD, cachedProgram, Linux.AT_FDCWD, path, 0);
        if (linked == 0)
            return;
        if (Errno.Last is not (Errno.EXDEV or Errno.EPERM))
            Errno.Check(linked, "link", path);
        AtomicFile.WriteStaged(path, File.ReadAllBytes(cachedProgram));
    }

    public static byte[]? Read(string containerDirectory)
    {
        string path = Path.Combine(containerDirectory, Name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }
}
