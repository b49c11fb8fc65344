using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Starting a file's disk writes early (sync_file_range), so a later fsync waits only for what came after.</summary>
public static partial class Linux
{
    public const uint SYNC_FILE_RANGE_WRITE = 0x2;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sync_file_range(SafeHandle fd, long offset, long count, uint flags);
}
