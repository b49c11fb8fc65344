using System.Formats.Tar;
using System.Text;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace ContainerTools.Core.Build.Layers;

/// <summary>
/// Turns an overlay upper directory (what a RUN or a container changed) into a layer tar: a 0/0 character
/// device is a deletion and becomes a ".wh." whiteout, a directory with trusted.overlay.opaque=y gets an
/// opaque marker; everything else keeps its type, mode, owner and time, and hard links stay links.
/// The upper directory belongs to a container that has ended, so nothing changes it while it is read.
/// </summary>
public static unsafe class OverlayDiff
{
    /// <summary>Writes the diff; returns the number of entries (0: nothing changed).</summary>
    public static int Write(string upperDirectory, Stream output)
    {
        using var tar = new LayerTarWriter(output);
        var links = new Dictionary<(ulong Device, ulong Inode), string>();
        WriteChildren(tar, upperDirectory, "", links);
        return tar.Count;
    }

    private static void WriteChildren(LayerTarWriter tar, string directory, string prefix, Dictionary<(ulong, ulong), string> links)
    {
        foreach (string name in System.IO.Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!)
        {
            string path = Path.Combine(directory, name!);
            string entry = prefix + name;
            stat st = Lstat(path);
            uint type = (uint)st.st_mode & Linux.S_IFMT;
            uint mode = (uint)st.st_mode & 0xFFF;
            int uid = (int)(uint)st.st_uid, gid = (int)(uint)st.st_gid;
            var modified = DateTimeOffset.FromUnixTimeSeconds((long)st.st_mtim.tv_sec);
            switch (type)
            {
                case Linux.S_IFCHR when (ulong)st.st_rdev == 0:
                    tar.Whiteout(entry);
                    break;
                case Linux.S_IFDIR:
                    tar.Directory(entry, mode, uid, gid, modified);
                    if (IsOpaque(path))
                        tar.Opaque(entry);
                    WriteChildren(tar, path, entry + "/", links);
                    break;
                case Linux.S_IFLNK:
                    tar.Symlink(entry, new FileInfo(path).LinkTarget ?? "", uid, gid, modified);
                    break;
                case Linux.S_IFREG when (ulong)st.st_nlink > 1 && links.TryGetValue(((ulong)st.st_dev, (ulong)st.st_ino), out string? first):
                    tar.HardLink(entry, first, uid, gid, modified);
                    break;
                case Linux.S_IFREG:
                    if ((ulong)st.st_nlink > 1)
                        links[((ulong)st.st_dev, (ulong)st.st_ino)] = entry;
                    using (var content = OpenNoFollow(path))
                        tar.File(entry, mode, uid, gid, modified, content);
                    break;
                default:
                    ulong device = (ulong)st.st_rdev;
                    var kind = type switch
                    {
                        Linux.S_IFCHR => TarEntryType.CharacterDevice,
                        Linux.S_IFBLK => TarEntryType.BlockDevice,
                        Linux.S_IFIFO => TarEntryType.Fifo,
                        _ => (TarEntryType?)null, // sockets do not go into layers
                    };
                    if (kind is { } k)
                        tar.Special(k, entry, mode, uid, gid, modified, (int)(((device >> 32) & 0xfffff000) | ((device >> 8) & 0xfff)),
                            (int)(((device >> 12) & 0xffffff00) | (device & 0xff)));
                    break;
            }
        }
    }

    private static stat Lstat(string path)
    {
        stat st;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            Errno.Check(LibC.lstat(p, &st), "lstat", path);
        return st;
    }

    private static bool IsOpaque(string path)
    {
        byte value;
        nint length = Linux.lgetxattr(path, "trusted.overlay.opaque", &value, 1);
        return length == 1 && value == (byte)'y';
    }

    private static FileStream OpenNoFollow(string path)
    {
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            fd = Errno.Check(LibC.open(p, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC), "open", path);
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read);
    }
}
