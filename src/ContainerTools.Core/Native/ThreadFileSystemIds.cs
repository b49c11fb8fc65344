namespace ContainerTools.Core.Native;

/// <summary>
/// The calling thread's file system uid and gid set for a while, then root's again: new files get these
/// owners, and a file system mounted in a container's user namespace refuses to create files for ids not
/// mapped there (EOVERFLOW), as host root is not. Per thread, so the scope must not span an await.
/// </summary>
public readonly struct ThreadFileSystemIds : IDisposable
{
    private readonly bool _changed;

    private ThreadFileSystemIds(bool changed) => _changed = changed;

    /// <summary>Becomes <paramref name="uid"/>:<paramref name="gid"/> for file system checks; nothing when they are root's.</summary>
    public static ThreadFileSystemIds Become(int uid, int gid)
    {
        if (uid == 0 && gid == 0)
            return default;
        Linux.setfsgid(gid);
        Linux.setfsuid(uid);
        // setfsuid reports no error: asking with an invalid id returns the one in force.
        if (Linux.setfsuid(-1) != uid || Linux.setfsgid(-1) != gid)
        {
            Restore();
            throw new NativeCallException("setfsuid", null, Errno.EPERM);
        }
        return new ThreadFileSystemIds(changed: true);
    }

    public void Dispose()
    {
        if (_changed)
            Restore();
    }

    private static void Restore()
    {
        Linux.setfsuid(0);
        Linux.setfsgid(0);
    }
}
