using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>A block device's "major:minor", the name cgroup I/O throttles know it by.</summary>
public static class BlockDevice
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFBLK = 0x6000;

    public static unsafe string Number(string path)
    {
        stat status;
        int result;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            result = LibC.stat(p, &status);
        if (result == -1 && Errno.Last is Errno.ENOENT or Errno.ENOTDIR)
            throw NotABlockDevice(path);
        Errno.Check(result, "stat", path);
        if (((uint)status.st_mode & S_IFMT) != S_IFBLK)
            throw NotABlockDevice(path);
        ulong device = (ulong)status.st_rdev;
        // glibc's major()/minor() bit layout of dev_t.
        ulong major = ((device >> 32) & 0xFFFFF000) | ((device >> 8) & 0xFFF);
        ulong minor = ((device >> 12) & 0xFFFFFF00) | (device & 0xFF);
        return $"{major}:{minor}";
    }

    private static EngineException NotABlockDevice(string path) =>
        new("NotABlockDevice", ErrorKind.InvalidArgument, path, $"'{path}' is not a block device; throttles name one such as /dev/sda.");
}
