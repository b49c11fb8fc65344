using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// linux.uidMappings/gidMappings checked before anything starts: the kernel would refuse a bad map only once
/// the init exists, with a bare EINVAL. A new user namespace needs both; maps without one are meaningless.
/// </summary>
public static class OciIdMappings
{
    public static void Validate(SpecLinux linux, bool newUserNamespace)
    {
        var uids = linux.UidMappings ?? [];
        var gids = linux.GidMappings ?? [];
        if (!newUserNamespace)
        {
            if (uids.Count > 0 || gids.Count > 0)
                throw Invalid("linux.uidMappings", "user namespace mappings are given but the configuration has no new user namespace");
            return;
        }
        if (uids.Count == 0 || gids.Count == 0)
            throw Invalid("linux.uidMappings", "a new user namespace needs linux.uidMappings and linux.gidMappings");
        ValidateMap("linux.uidMappings", uids);
        ValidateMap("linux.gidMappings", gids);
    }

    /// <summary>
    /// The init opens these as the new namespace's root (exec.fifo, the seccomp filter): they become that
    /// root's host ids, as runc chowns exec.fifo. Files that do not exist are skipped.
    /// </summary>
    public static void GiveToRoot(SpecLinux linux, params string[] paths)
    {
        int uid = HostIdOfRoot(linux.UidMappings ?? []), gid = HostIdOfRoot(linux.GidMappings ?? []);
        foreach (string path in paths.Where(File.Exists))
            Errno.Check(Linux.fchownat(Linux.AT_FDCWD, path, uid, gid, Linux.AT_SYMLINK_NOFOLLOW), "fchownat", path);
    }

    /// <summary>The host id of id 0 inside, or 0 (host root) if 0 is not mapped: nothing inside could open the files then.</summary>
    private static int HostIdOfRoot(IReadOnlyList<IdMapping> mappings) =>
        mappings.FirstOrDefault(m => m.ContainerId == 0) is { } m ? (int)m.HostId : 0;

    private static void ValidateMap(string name, IReadOnlyList<IdMapping> mappings)
    {
        foreach (var m in mappings)
            if (m.Size == 0 || (ulong)m.ContainerId + m.Size > uint.MaxValue || (ulong)m.HostId + m.Size > uint.MaxValue)
                throw Invalid(name, $"{name} entry \"{m}\": the size must be positive and the range within 32-bit ids");
        for (int i = 0; i < mappings.Count; i++)
            for (int j = i + 1; j < mappings.Count; j++)
                if (Overlap(mappings[i].ContainerId, mappings[j].ContainerId, mappings[i].Size, mappings[j].Size)
                    || Overlap(mappings[i].HostId, mappings[j].HostId, mappings[i].Size, mappings[j].Size))
                    throw Invalid(name, $"{name} entries \"{mappings[i]}\" and \"{mappings[j]}\" overlap");
    }

    private static bool Overlap(uint a, uint b, uint sizeA, uint sizeB) => a < (ulong)b + sizeB && b < (ulong)a + sizeA;

    private static EngineException Invalid(string target, string message) => new("InvalidIdMapping", ErrorKind.InvalidArgument, target, message);
}
