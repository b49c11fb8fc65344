using System.Collections.Concurrent;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The defence against CVE-2019-5736: every process of ours that lives inside a container (the init until
/// it execs, the exec helper until it execs) runs from a sealed in-memory copy of ctmon, so a container that
/// opens /proc/&lt;pid&gt;/exe reaches that copy, which no one can write, shrink or grow, never the file on the host.
/// One copy per executable per process, kept open (close-on-exec) and started through /proc/self/fd/N.
/// </summary>
public static class SealedExecutable
{
    private const int AllSeals = Linux.F_SEAL_SEAL | Linux.F_SEAL_SHRINK | Linux.F_SEAL_GROW | Linux.F_SEAL_WRITE;

    private static readonly ConcurrentDictionary<(string Path, DateTime Modified), Lazy<SafeFileHandle>> Copies = new();

    /// <summary>A path that execve's the sealed copy of <paramref name="executable"/> (made on first use).</summary>
    public static string PathOf(string executable)
    {
        var key = (executable, File.GetLastWriteTimeUtc(executable));
        var copy = Copies.GetOrAdd(key, k => new Lazy<SafeFileHandle>(() => Seal(k.Path))).Value;
        return $"/proc/self/fd/{copy.DangerousGetHandle()}";
    }

    /// <summary>Whether <paramref name="fd"/> is a memfd carrying every seal this class sets.</summary>
    public static bool IsSealed(int fd) => Linux.fcntl(fd, Linux.F_GET_SEALS, 0) is var seals && seals >= 0 && (seals & AllSeals) == AllSeals;

    private static SafeFileHandle Seal(string executable)
    {
        var copy = new SafeFileHandle(Errno.Check(Linux.memfd_create(Path.GetFileName(executable), Linux.MFD_CLOEXEC | Linux.MFD_ALLOW_SEALING), "memfd_create", executable), ownsHandle: true);
        try
        {
            RandomAccess.Write(copy, File.ReadAllBytes(executable), 0);
            Errno.Check(Linux.fcntl((int)copy.DangerousGetHandle(), Linux.F_ADD_SEALS, AllSeals), "fcntl(F_ADD_SEALS)", executable);
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }
}
