namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>The groups a process or thread is in, as its /proc/.../cgroup file names them.</summary>
public static class GroupMembership
{
    /// <summary>
    /// Controller to group path, from "4:cpu,cpuacct:/user.slice" lines; cgroup2's "0::/path" is under "". A path
    /// is relative to the reader's cgroup namespace: "/" for the group a new namespace was made in.
    /// </summary>
    public static Dictionary<string, string> Read(string file)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(file))
        {
            string[] fields = line.Split(':', 3);
            if (fields.Length != 3)
                continue;
            foreach (string controller in fields[1].Split(','))
                groups[controller] = fields[2];
        }
        return groups;
    }
}
