using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>The minimal /dev a container gets: a few character devices and the usual links, nothing of the host's.</summary>
public static class Devices
{
    private static readonly (string Name, uint Major, uint Minor)[] Nodes =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    private static readonly (string Name, string Target)[] Links =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx"), ("core", "/proc/kcore"),
    ];

    /// <summary>Creates them in the container's /dev (a fresh tmpfs), resolved inside the root.</summary>
    public static void Create(RootedPath root)
    {
        int dev;
        using (var devPath = RootPath.OpenDirectory(root, "/dev"))
            dev = Errno.Check(Linux.openat(-100, RootPath.Magic(devPath), Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0), "open", "/dev");
        try
        {
            foreach (var (name, major, minor) in Nodes)
            {
                if (Linux.mknodat(dev, name, Linux.S_IFCHR | 0x1B6 /* 0666 */, Linux.MakeDevice(major, minor)) < 0)
                {
                    // In a user namespace mknod is refused: the host's node is bound there instead, as Podman does.
                    if (Errno.Last == Errno.EPERM)
                    {
                        BindHostNode(dev, name, "/dev/" + name);
                        continue;
                    }
                    if (Errno.Last != Errno.EEXIST)
                        throw new NativeCallException("mknodat", "/dev/" + name, Errno.Last);
                }
                // mknod obeys the umask: set the mode the container expects.
                using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(
                    Errno.Check(Linux.openat(dev, name, Linux.O_PATH | Linux.O_CLOEXEC, 0), "openat", "/dev/" + name), ownsHandle: true);
                File.SetUnixFileMode(RootPath.Magic((int)handle.DangerousGetHandle()), (UnixFileMode)0x1B6);
            }
            foreach (var (name, target) in Links)
            {
                if (Linux.symlinkat(target, dev, name) < 0 && Errno.Last != Errno.EEXIST)
                    throw new NativeCallException("symlinkat", "/dev/" + name, Errno.Last);
            }
        }
        finally
        {
            Linux.close(dev);
        }
    }

    /// <summary>Binds the host's node <paramref name="host"/> on a new empty file <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static void BindHostNode(int directory, string name, string host)
    {
        using var target = new Microsoft.Win32.SafeHandles.SafeFileHandle(
            Errno.Check(Linux.openat(directory, name, Linux.O_CREAT | Linux.O_EXCL | Linux.O_WRONLY | Linux.O_CLOEXEC, 0x1B6), "openat", host), ownsHandle: true);
        using var tree = new Microsoft.Win32.SafeHandles.SafeFileHandle(
            Errno.Check(Linux.open_tree(Linux.AT_FDCWD, host, Linux.OPEN_TREE_CLONE | Linux.OPEN_TREE_CLOEXEC), "open_tree", host), ownsHandle: true);
        Errno.Check(Linux.move_mount((int)tree.DangerousGetHandle(), (int)target.DangerousGetHandle()), "move_mount", host);
    }
}
