namespace ContainerTools.Core.Native;

/// <summary>Inode flags (chattr): FS_IOC_GETFLAGS/SETFLAGS take an int, whatever their encoded size says.</summary>
public static partial class Linux
{
    public const nuint FS_IOC_GETFLAGS = 0x80086601;
    public const nuint FS_IOC_SETFLAGS = 0x40086602;

    /// <summary>"Top of directory hierarchies": ext4's Orlov allocator spreads this directory's subdirectories over block groups.</summary>
    public const int FS_TOPDIR_FL = 0x00020000;
}
