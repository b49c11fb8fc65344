using Tmds.Linux;

namespace ContainerTools.Core.Build.Context;

public enum ContextEntryKind
{
    Regular,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}

/// <summary>What lstat says about a file of the build context: the facts that end up in a layer.</summary>
public sealed record ContextEntry(ContextEntryKind Kind, uint Permissions, uint Uid, uint Gid, long Size, ulong Device, DateTimeOffset Modified)
{
    public static ContextEntry From(in stat stat)
    {
        uint mode = (uint)stat.st_mode;
        var kind = (mode & (uint)LibC.S_IFMT) switch
        {
            var t when t == (uint)LibC.S_IFDIR => ContextEntryKind.Directory,
            var t when t == (uint)LibC.S_IFLNK => ContextEntryKind.Symlink,
            var t when t == (uint)LibC.S_IFCHR => ContextEntryKind.CharacterDevice,
            var t when t == (uint)LibC.S_IFBLK => ContextEntryKind.BlockDevice,
            var t when t == (uint)LibC.S_IFIFO => ContextEntryKind.Fifo,
            var t when t == (uint)LibC.S_IFSOCK => ContextEntryKind.Socket,
            _ => ContextEntryKind.Regular,
        };
        return new ContextEntry(kind, mode & 0xFFF, (uint)stat.st_uid, (uint)stat.st_gid, (long)stat.st_size, (ulong)stat.st_rdev,
            DateTimeOffset.FromUnixTimeSeconds((long)stat.st_mtim.tv_sec));
    }
}
