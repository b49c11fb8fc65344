using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Writeback without a journal commit or disk-cache flush: started early, so a later fsync or batched sync waits for less.</summary>
public static partial class Linux
{
    public const uint SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    public const uint SYNC_FILE_RANGE_WRITE = 2;
    public const uint SYNC_FILE_RANGE_WAIT_AFTER = 4;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sync_file_range(int fd, long offset, long nbytes, uint flags);
}
