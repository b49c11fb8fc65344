using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>lstat(2) with the x86-64 struct stat, for walking trees with owners, device numbers and inodes (which .NET does not expose).</summary>
public static partial class Linux
{
    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        public ulong Device;
        public ulong Inode;
        public ulong LinkCount;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        private readonly int _pad;
        public ulong RawDevice;
        public long Size;
        public long BlockSize;
        public long Blocks;
        public Timespec AccessTime;
        public Timespec ModificationTime;
        public Timespec ChangeTime;
        private readonly long _reserved0, _reserved1, _reserved2;

        public readonly uint Major => (uint)(((RawDevice >> 32) & 0xfffff000) | ((RawDevice >> 8) & 0xfff));
        public readonly uint Minor => (uint)(((RawDevice >> 12) & 0xffffff00) | (RawDevice & 0xff));
    }

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lstat_native(string path, out Stat stat);

    public static Stat LStat(string path)
    {
        Errno.Check(lstat_native(path, out var stat), "lstat", path);
        return stat;
    }
}
