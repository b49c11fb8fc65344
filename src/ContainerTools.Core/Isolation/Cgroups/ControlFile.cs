using System.Text;
using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// Reads and writes cgroup control files. A write is one write(2) of the whole value, as the kernel expects,
/// and its errno (EINVAL, EBUSY, ...) surfaces as a NativeCallException naming the file.
/// </summary>
internal static class ControlFile
{
    public static unsafe void Write(string path, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            fd = Errno.Check(LibC.open(p, LibC.O_WRONLY | LibC.O_CLOEXEC), "open", path);
        try
        {
            fixed (byte* b = bytes)
                Errno.Check((long)LibC.write(fd, b, bytes.Length), "write", $"{path} <- {value}");
        }
        finally
        {
            LibC.close(fd);
        }
    }

    public static string Read(string path) => File.ReadAllText(path).Trim();

    public static string? ReadIfExists(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>The value after <paramref name="key"/> in a "key value" per line file (memory.stat, cpu.stat, memory.events).</summary>
    public static long? ReadKey(string path, string key)
    {
        if (!File.Exists(path))
            return null;
        foreach (string line in File.ReadLines(path))
        {
            int space = line.IndexOf(' ');
            if (space > 0 && line.AsSpan(0, space).SequenceEqual(key))
                return long.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    public static IReadOnlyList<int> ReadPids(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0)
            .Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>mkdir; false when the directory existed already.</summary>
    public static unsafe bool MakeDirectory(string path)
    {
        int result;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            result = LibC.mkdir(p, 0x1ED /* 0755 */);
        if (result == -1 && Errno.Last == Errno.EEXIST)
            return false;
        Errno.Check(result, "mkdir", path);
        return true;
    }

    /// <summary>rename(2) of a cgroup directory (v1, within its parent); returns the errno (0 on success).</summary>
    public static int RenameDirectory(string from, string to) => Linux.rename(from, to) == 0 ? 0 : Errno.Last;

    /// <summary>rmdir of a cgroup; returns the errno (0 on success) so callers decide what "busy" means to them.</summary>
    public static unsafe int RemoveDirectory(string path)
    {
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            return LibC.rmdir(p) == 0 ? 0 : Errno.Last;
    }
}
