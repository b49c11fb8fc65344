namespace ContainerTools.Core.Isolation.Cgroups.V1;

/// <summary>cgroup v1: one hierarchy per controller (or a few controllers per mount), each holding the group.</summary>
public sealed class CgroupV1Driver : ICgroupDriver
{
    /// <summary>The controllers a container's group is made in: its limits, its statistics, its freezer and its device access.</summary>
    public static readonly IReadOnlyList<string> Controllers = ["cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "freezer", "devices"];

    private readonly IReadOnlyDictionary<string, string> _mounts;

    /// <param name="controllerMounts">Controller name to the mount point of its hierarchy (from <see cref="CgroupMounts"/>).</param>
    public CgroupV1Driver(IReadOnlyDictionary<string, string> controllerMounts)
    {
        _mounts = Controllers.Where(controllerMounts.ContainsKey).ToDictionary(c => c, c => controllerMounts[c]);
    }

    public string Version => "v1";

    public IReadOnlyCollection<string> MountedControllers => _mounts.Keys.ToList();

    public ICgroup Create(string relativePath, ResourceLimits limits, bool allDevices = false)
    {
        ResourceLimitsValidator.Validate(limits);
        var settings = CgroupV1Settings.For(limits);
        RequireControllers(settings, relativePath);
        var group = new CgroupV1(relativePath, _mounts);
        var created = new List<string>();
        try
        {
            foreach (var tree in group.Hierarchies)
                created.AddRange(tree.Create(initialiseChild: CopyCpuset));
            group.OpenDevices(allDevices);
            group.Apply(settings);
            return group;
        }
        catch
        {
            CgroupTree.RemoveCreated(created);
            throw;
        }
    }

    public bool RenamesGroups => true;

    public ICgroup? Rename(string from, string to, ResourceLimits limits, bool allDevices = false)
    {
        ResourceLimitsValidator.Validate(limits);
        var settings = CgroupV1Settings.For(limits);
        RequireControllers(settings, to);
        var group = new CgroupV1(to, _mounts);
        var moves = new CgroupV1(from, _mounts).Hierarchies.Zip(group.Hierarchies, (old, renamed) => (From: old.Directory, To: renamed.Directory)).ToList();
        int done = 0;
        try
        {
            for (; done < moves.Count; done++)
            {
                if (ControlFile.RenameDirectory(moves[done].From, moves[done].To) != 0)
                {
                    MoveBack(moves, done);
                    return null;
                }
            }
            group.OpenDevices(allDevices);
            group.Apply(settings);
            return group;
        }
        catch
        {
            MoveBack(moves, done);
            throw;
        }
    }

    /// <summary>Undoes the first <paramref name="count"/> renames, so a failed <see cref="Rename"/> leaves the group as it was.</summary>
    private static void MoveBack(List<(string From, string To)> moves, int count)
    {
        for (int i = count - 1; i >= 0; i--)
            ControlFile.RenameDirectory(moves[i].To, moves[i].From);
    }

    public ICgroup? Open(string relativePath)
    {
        var group = new CgroupV1(relativePath, _mounts);
        return group.Hierarchies.Any(t => t.Exists) ? group : null;
    }

    private void RequireControllers(IEnumerable<CgroupSetting> settings, string relativePath)
    {
        foreach (string controller in settings.Select(s => s.Controller).Distinct())
        {
            if (!_mounts.ContainsKey(controller))
                throw new EngineException("CgroupControllerUnavailable", ErrorKind.ResourceUnavailable, relativePath,
                    $"No cgroup v1 hierarchy has the {controller} controller mounted, so its limits cannot be applied.");
        }
    }

    /// <summary>
    /// A new cpuset group starts with no CPUs and no memory nodes; it gets its parent's, or no task could join
    /// it (ENOSPC). Only the cpuset hierarchy has these files. Levels are taken top down, so a shared parent
    /// another store made a moment ago is filled before its child copies from it.
    /// </summary>
    private static void CopyCpuset(string parent, string child)
    {
        foreach (string file in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            string own = Path.Combine(child, file);
            if (File.Exists(own) && ControlFile.Read(own).Length == 0)
                ControlFile.Write(own, ControlFile.Read(Path.Combine(parent, file)));
        }
    }
}
