using System.Text;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// Gives a new user namespace its ids, written by host root from outside (so setgroups need not be denied):
/// ids 0..Count-1 inside are the container's slice on the host, for users and groups alike.
/// </summary>
public static class UserNamespaceMaps
{
    public static void Write(int pid, IdRange uids, IdRange gids)
    {
        WriteMap($"/proc/{pid}/uid_map", uids);
        WriteMap($"/proc/{pid}/gid_map", gids);
    }

    private static unsafe void WriteMap(string path, IdRange range)
    {
        byte[] line = Encoding.ASCII.GetBytes($"0 {range.Start} {range.Count}\n");
        int fd = Errno.Check(Linux.openat(-100, path, Linux.O_WRONLY | Linux.O_CLOEXEC, 0), "open", path);
        try
        {
            // The kernel takes a map in one write or not at all.
            fixed (byte* p = line)
                Errno.Check((int)Linux.write(fd, p, (nuint)line.Length), "write", path);
        }
        finally
        {
            Linux.close(fd);
        }
    }
}
