using System.Collections.Concurrent;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The defence against CVE-2019-5736: every process of ours that lives inside a container (the init until
/// it execs, the exec helper until it execs) runs from a sealed in-memory copy of ctmon, so a container that
/// opens /proc/&lt;pid&gt;/exe reaches that copy, which no one can write, shrink or grow, never the file on the host.
/// Started through <see cref="Path"/> (/proc/self/fd/N); the descriptor is close-on-exec and a started process
/// keeps the copy alive by itself, so the copy may be disposed as soon as Process.Start has returned.
/// </summary>
public sealed class SealedExecutable : IDisposable
{
    private const int AllSeals = Linux.F_SEAL_SEAL | Linux.F_SEAL_SHRINK | Linux.F_SEAL_GROW | Linux.F_SEAL_WRITE;

    private static readonly ConcurrentDictionary<(string Path, DateTime Modified), Lazy<SealedExecutable>> Shared = new();

    private readonly SafeFileHandle _copy;

    private SealedExecutable(SafeFileHandle copy) => _copy = copy;

    /// <summary>What execve's the copy, in this process.</summary>
    public string Path => $"/proc/self/fd/{_copy.DangerousGetHandle()}";

    /// <summary>A new copy, for a process that starts one container and must not keep megabytes per container (the monitor).</summary>
    public static SealedExecutable Of(string executable)
    {
        var copy = new SafeFileHandle(Errno.Check(Linux.memfd_create(System.IO.Path.GetFileName(executable), Linux.MFD_CLOEXEC | Linux.MFD_ALLOW_SEALING), "memfd_create", executable), ownsHandle: true);
        try
        {
            CopyInto(copy, executable);
            Errno.Check(Linux.fcntl((int)copy.DangerousGetHandle(), Linux.F_ADD_SEALS, AllSeals), "fcntl(F_ADD_SEALS)", executable);
            return new SealedExecutable(copy);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The kernel copies the file (sendfile): no megabytes of managed array that a long-lived monitor would
    /// keep resident in its GC heap after the copy.
    /// </summary>
    private static void CopyInto(SafeFileHandle copy, string executable)
    {
        using var source = File.OpenHandle(executable);
        int sourceFd = (int)source.DangerousGetHandle();
        long sent;
        do
        {
            sent = Errno.Check((long)Linux.sendfile((int)copy.DangerousGetHandle(), sourceFd, 0, 1 << 30), "sendfile", executable);
        }
        while (sent > 0);
    }

    /// <summary>One copy per executable for the life of this process, for one that starts many (a pwsh session's execs).</summary>
    public static string SharedPathOf(string executable) => SharedCopyOf(executable).Path;

    /// <summary>
    /// The descriptor of the shared copy in this process: handed to a child (the monitor), which
    /// <see cref="AdoptFromParent"/>s it instead of copying megabytes per container start.
    /// </summary>
    public static int SharedDescriptorOf(string executable) => (int)SharedCopyOf(executable)._copy.DangerousGetHandle();

    /// <summary>
    /// Opens the parent's shared copy (/proc/&lt;parent&gt;/fd/<paramref name="descriptor"/>): the same sealed
    /// memory under a descriptor of our own. The parent is checked to be the same process after the open (a
    /// recycled pid could name anyone's file). Null when the parent is gone or the file is not a sealed copy.
    /// </summary>
    public static SealedExecutable? AdoptFromParent(int descriptor)
    {
        int parent = Linux.getppid();
        int fd = Linux.openat(Linux.AT_FDCWD, $"/proc/{parent}/fd/{descriptor}", Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        if (fd < 0)
            return null;
        var copy = new SafeFileHandle(fd, ownsHandle: true);
        if (Linux.getppid() == parent && IsSealed(fd))
            return new SealedExecutable(copy);
        copy.Dispose();
        return null;
    }

    private static SealedExecutable SharedCopyOf(string executable) =>
        Shared.GetOrAdd((executable, File.GetLastWriteTimeUtc(executable)), key => new Lazy<SealedExecutable>(() => Of(key.Path))).Value;

    /// <summary>Whether <paramref name="fd"/> is a memfd carrying every seal this class sets.</summary>
    public static bool IsSealed(int fd) => Linux.fcntl(fd, Linux.F_GET_SEALS, 0) is var seals && seals >= 0 && (seals & AllSeals) == AllSeals;

    public void Dispose() => _copy.Dispose();
}
