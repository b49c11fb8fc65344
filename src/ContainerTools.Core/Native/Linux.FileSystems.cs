using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Which file system a descriptor is on (fstatfs f_type), to tell the kernel's own views from files.</summary>
public static partial class Linux
{
    /// <summary>
    /// proc, sysfs, cgroup v1 and v2, devpts, mqueue, securityfs, debugfs, tracefs, bpf, pstore, configfs: views of the
    /// kernel whose "files" are not data (reads that block, fail or never end), as mounted in every container.
    /// </summary>
    private static readonly HashSet<long> KernelFileSystems =
        [0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x1cd1, 0x19800202, 0x73636673, 0x64626720, 0x74726163, 0xcafe4a11, 0x6165676c, 0x62656570];

    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    private static unsafe partial int fstatfs_native(int fd, byte* buffer);

    /// <summary>Whether <paramref name="fd"/> (O_PATH will do) is on one of the kernel's pseudo file systems.</summary>
    public static unsafe bool IsKernelFileSystem(int fd, string path)
    {
        // struct statfs is 120 bytes on x86-64 and arm64; f_type is its first member, a long.
        byte* buffer = stackalloc byte[256];
        Errno.Check(fstatfs_native(fd, buffer), "fstatfs", path);
        return KernelFileSystems.Contains(*(long*)buffer);
    }
}
