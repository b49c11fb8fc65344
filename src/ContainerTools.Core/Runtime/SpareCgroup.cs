using System.Globalization;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.Cgroups.V1;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The cgroup a <see cref="SpareMonitor"/>'s container gets, made with the spare, off the start's path, and renamed
/// to the container's at assignment (<see cref="ICgroupDriver.Rename"/>): making a group in the 8 v1 hierarchies
/// was ~1.5 ms of every start, a rename per hierarchy is a fraction of it. Where groups cannot be renamed (cgroup2)
/// there is none, and the start makes the container's group as before. It is empty and carries no limits (its
/// device access is the standard one) until the rename; the container's limits are written then, and every device
/// opened to a privileged one, before its init is released.
/// </summary>
/// <remarks>
/// Named "containertools/spare-STAMP-N-STORE": STAMP is the launcher's <see cref="ProcessStamp"/>, STORE its store's root as a plain name (so a
/// clean-up that looks for the store's name finds it). Whoever gives an unused one up removes it: the launcher
/// closing a spare, the spare monitor at the EOF that ends it; one left by a launcher killed with -9 goes at the
/// first spare of the next process (<see cref="Sweep"/>). Removal is rmdir alone: it never kills what is inside.
/// </remarks>
public static class SpareCgroup
{
    private const string Prefix = "spare-";
    private const int MaxStoreLength = 200;

    private static int _made;
    private static int _swept;

    /// <summary>Makes one for <paramref name="store"/>; null where groups cannot be renamed or made here.</summary>
    public static string? Make(StoreLocation store)
    {
        try
        {
            var mounts = CgroupMounts.Read();
            var driver = Cgroups.Detect(mounts);
            if (!driver.RenamesGroups)
                return null;
            if (Interlocked.Exchange(ref _swept, 1) == 0)
                Sweep(mounts);
            string path = Cgroups.ContainersParent + "/" + Prefix + ProcessStamp.Current + "-"
                + Interlocked.Increment(ref _made).ToString(CultureInfo.InvariantCulture) + "-" + StoreName(store);
            driver.Create(path, ResourceLimits.None);
            return path;
        }
        catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes an unused spare group (empty by construction); a group renamed or removed meanwhile is left alone.</summary>
    public static void Delete(string? path)
    {
        if (path is null)
            return;
        try
        {
            foreach (string root in Roots(CgroupMounts.Read()))
                ControlFile.RemoveDirectory(Path.Combine(root, path));
        }
        catch (IOException)
        {
            // No mount table: nothing of ours can be there either.
        }
    }

    /// <summary>Removes the spare groups whose launcher is gone (killed before it could).</summary>
    private static void Sweep(CgroupMounts mounts)
    {
        foreach (string root in Roots(mounts))
        {
            string parent = Path.Combine(root, Cgroups.ContainersParent);
            if (!Directory.Exists(parent))
                continue;
            foreach (string group in Directory.EnumerateDirectories(parent, Prefix + "*"))
            {
                string[] parts = Path.GetFileName(group).Split('-', 3);
                if (parts.Length == 3 && !ProcessStamp.IsAlive(parts[1]))
                    ControlFile.RemoveDirectory(group);
            }
        }
    }

    private static IEnumerable<string> Roots(CgroupMounts mounts) =>
        CgroupV1Driver.Controllers.Where(mounts.V1Controllers.ContainsKey).Select(c => mounts.V1Controllers[c]).Distinct();

    /// <summary>The store's root with every character a group name cannot hold made '-', its end kept when long.</summary>
    private static string StoreName(StoreLocation store)
    {
        string name = new(store.Root.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '-').ToArray());
        name = name.Trim('-');
        return name.Length > MaxStoreLength ? name[^MaxStoreLength..] : name;
    }
}
