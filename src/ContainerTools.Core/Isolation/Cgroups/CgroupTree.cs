using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// A group's directories in one hierarchy: made level by level (so a driver can prepare each parent); removing
/// it removes only the leaf. Parents (the shared "containertools" level) stay: deleting them when the last
/// container went made every next start pay a mkdir and a cpuset copy per controller again.
/// </summary>
internal sealed class CgroupTree(string root, string relativePath)
{
    private readonly IReadOnlyList<string> _levels = CgroupPath.Levels(root, relativePath);

    public string Root => root;
    public string Directory => _levels[^1];
    public bool Exists => System.IO.Directory.Exists(Directory);

    /// <summary>
    /// Makes the missing levels; <paramref name="prepareChild"/>(parent, child) runs before each mkdir and
    /// <paramref name="initialiseChild"/> after it, for every level (it must be idempotent). Returns the
    /// directories this call created, deepest last.
    /// </summary>
    public List<string> Create(Action<string, string>? prepareChild = null, Action<string, string>? initialiseChild = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            var created = new List<string>();
            try
            {
                string parent = root;
                foreach (string level in _levels)
                {
                    prepareChild?.Invoke(parent, level);
                    if (ControlFile.MakeDirectory(level))
                        created.Add(level);
                    // Also for a level another process just made and may not have initialised yet.
                    initialiseChild?.Invoke(parent, level);
                    parent = level;
                }
                return created;
            }
            catch (NativeCallException e) when (e.Errno == Errno.ENOENT && attempt < 3)
            {
                // Someone else (an administrator, a test's cleanup) removed a parent between our mkdirs: make it again.
                RemoveCreated(created);
            }
            catch
            {
                RemoveCreated(created);
                throw;
            }
        }
    }

    public static void RemoveCreated(List<string> created)
    {
        for (int i = created.Count - 1; i >= 0; i--)
            ControlFile.RemoveDirectory(created[i]);
    }

    /// <summary>
    /// Removes the group's own directory, and first the groups made below it (a privileged container may make
    /// them in its /sys/fs/cgroup), deepest first; its parents stay for the next group.
    /// </summary>
    public void Remove()
    {
        foreach (string child in Descendants().OrderByDescending(path => path.Count(c => c == '/')))
            RemoveOne(child);
        RemoveOne(Directory);
    }

    private IEnumerable<string> Descendants()
    {
        try
        {
            return System.IO.Directory.EnumerateDirectories(Directory, "*", SearchOption.AllDirectories).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static void RemoveOne(string directory)
    {
        // The last exiting task can leave the group a moment after cgroup.procs reads empty.
        for (int attempt = 0; ; attempt++)
        {
            int errno = ControlFile.RemoveDirectory(directory);
            if (errno is 0 or Errno.ENOENT)
                return;
            if (errno != Errno.EBUSY || attempt == 100)
                throw new NativeCallException("rmdir", directory, errno);
            Thread.Sleep(10);
        }
    }
}
