using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>What -UserNamespace Auto changes in a new container: its spec gets a user namespace and maps, its overlay directories its root.</summary>
public static class ContainerUserNamespace
{
    public static RuntimeSpec Apply(RuntimeSpec spec, ContainerIds ids) => spec with
    {
        Linux = spec.Linux with
        {
            Namespaces = [new SpecNamespace("user"), .. spec.Linux.Namespaces],
            UidMappings = [IdMapping.RootTo(ids.Uids)],
            GidMappings = [IdMapping.RootTo(ids.Gids)],
        },
    };

    /// <summary>The overlay's upper and work directories belong to the container's root, who writes them.</summary>
    public static void GiveOverlayDirectories(ContainerPaths paths, ContainerIds ids)
    {
        foreach (string directory in new[] { paths.Upper, paths.Work })
            Errno.Check(Linux.fchownat(Linux.AT_FDCWD, directory, (int)ids.Uids.Start, (int)ids.Gids.Start, Linux.AT_SYMLINK_NOFOLLOW), "fchownat", directory);
    }

    /// <summary>Whether a spec asks for a user namespace of its own (then it carries the maps to write).</summary>
    public static bool Wanted(RuntimeSpec spec) => spec.Linux.Namespaces.Any(n => n.Type == "user" && n.Path is null);
}
