using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>
/// Calls Tmds.LibC lacks, declared with LibraryImport. One partial file per kernel concern
/// (Linux.Locks.cs, Linux.Mounts.cs, ...), so each concern's declarations live together.
/// </summary>
public static partial class Linux
{
    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(int fd, int operation);
}
