using System.Text;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// Gives a new user namespace its ids, written by host root from outside (so setgroups need not be denied):
/// the container's slice (-UserNamespace Auto) or an OCI bundle's explicit mappings.
/// </summary>
public static class UserNamespaceMaps
{
    public static void Write(int pid, IReadOnlyList<IdMapping> uids, IReadOnlyList<IdMapping> gids)
    {
        WriteMap($"/proc/{pid}/uid_map", uids);
        WriteMap($"/proc/{pid}/gid_map", gids);
    }

    private static unsafe void WriteMap(string path, IReadOnlyList<IdMapping> mappings)
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(mappings.Select(m => m + "\n")));
        int fd = Errno.Check(Linux.openat(-100, path, Linux.O_WRONLY | Linux.O_CLOEXEC, 0), "open", path);
        try
        {
            // The kernel takes a map in one write or not at all.
            fixed (byte* p = text)
                Errno.Check((int)Linux.write(fd, p, (nuint)text.Length), "write", path);
        }
        finally
        {
            Linux.close(fd);
        }
    }
}
