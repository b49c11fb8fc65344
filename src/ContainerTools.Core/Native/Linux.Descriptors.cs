using Tmds.Linux;

namespace ContainerTools.Core.Native;

public static partial class Linux
{
    /// <summary>What copying and exporting need of an inode: type, permission bits, times, owner, device, inode number and link count.</summary>
    public readonly record struct FileStatus(uint Mode, Timespec Accessed, Timespec Modified, uint Uid, uint Gid, ulong Device, ulong Inode, ulong Links)
    {
        public uint Type => Mode & S_IFMT;
        public uint Permissions => Mode & 0xFFF;
    }

    /// <summary>fstat, also on O_PATH descriptors (of symlinks too, when opened with O_NOFOLLOW).</summary>
    public static unsafe FileStatus Status(int fd, string path)
    {
        stat buffer;
        Errno.Check(LibC.fstat(fd, &buffer), "fstat", path);
        return new FileStatus(
            (uint)buffer.st_mode,
            new Timespec { Seconds = (long)buffer.st_atim.tv_sec, Nanoseconds = (long)buffer.st_atim.tv_nsec },
            new Timespec { Seconds = (long)buffer.st_mtim.tv_sec, Nanoseconds = (long)buffer.st_mtim.tv_nsec },
            (uint)buffer.st_uid, (uint)buffer.st_gid, (ulong)buffer.st_dev, (ulong)buffer.st_ino, (ulong)buffer.st_nlink);
    }

    /// <summary>The device number a device node stands for (st_rdev), from any descriptor of it.</summary>
    public static unsafe ulong DeviceNumberOf(int fd, string path)
    {
        stat buffer;
        Errno.Check(LibC.fstat(fd, &buffer), "fstat", path);
        return (ulong)buffer.st_rdev;
    }

    /// <summary>The target of a symlink held by an O_PATH|O_NOFOLLOW descriptor.</summary>
    public static unsafe string LinkTarget(int fd, string path)
    {
        byte* buffer = stackalloc byte[4096];
        byte empty = 0;
        nint length = (nint)LibC.readlinkat(fd, &empty, buffer, 4096);
        Errno.Check((int)Math.Min(length, 0), "readlinkat", path);
        return System.Text.Encoding.UTF8.GetString(buffer, (int)length);
    }

    /// <summary>Writes all of <paramref name="data"/>, however many write(2) calls that takes (a pipe or terminal may take part).</summary>
    public static unsafe void WriteAll(int fd, ReadOnlySpan<byte> data, string path)
    {
        fixed (byte* start = data)
        {
            for (int written = 0; written < data.Length;)
            {
                nint count = write(fd, start + written, (nuint)(data.Length - written));
                if (count < 0 && Errno.Last == Errno.EINTR)
                    continue;
                if (count < 0)
                    throw new NativeCallException("write", path, Errno.Last);
                written += (int)count;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> from <paramref name="fd"/>, however many read(2) calls that takes; false at EOF
    /// or an error first. Reads no byte more: what follows on a pipe stays for the next reader.
    /// </summary>
    public static unsafe bool ReadExactly(int fd, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            for (int done = 0; done < buffer.Length;)
            {
                nint count = read(fd, start + done, (nuint)(buffer.Length - done));
                if (count < 0 && Errno.Last == Errno.EINTR)
                    continue;
                if (count <= 0)
                    return false;
                done += (int)count;
            }
        }
        return true;
    }

    /// <summary>Sets access and modification times of an open descriptor.</summary>
    public static unsafe void SetTimes(int fd, Timespec accessed, Timespec modified, string path)
    {
        var times = stackalloc timespec[2];
        times[0] = new timespec { tv_sec = accessed.Seconds, tv_nsec = (long_t)accessed.Nanoseconds };
        times[1] = new timespec { tv_sec = modified.Seconds, tv_nsec = (long_t)modified.Nanoseconds };
        Errno.Check(LibC.futimens(fd, times), "futimens", path);
    }
}
