using System.Globalization;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// linux.resources.devices on the v1 devices controller: the spec's rules in their order, then the devices
/// every container needs (<see cref="DeviceAccess.Standard"/>, as runc appends them), each one line written to
/// devices.allow or devices.deny.
/// The container's init and every exec'd process are placed in that group.
/// </summary>
public static class OciDeviceRules
{
    /// <summary>The lines to write, in order: (file, rule). Throws for a rule the kernel could not take.</summary>
    private static IReadOnlyList<(string File, string Line)> Lines(IEnumerable<SpecDeviceRule> rules) =>
        [.. rules.Select(rule => (rule.Allow ? "devices.allow" : "devices.deny", Line(rule))), .. DeviceAccess.Standard.Select(line => ("devices.allow", line))];

    /// <summary>
    /// Makes the group in the devices hierarchy (the cgroup driver made it open to every device for ctrun) and
    /// programs it; nothing when the spec has no rules (access stays as inherited, all, as with runc).
    /// </summary>
    public static void Apply(string relativePath, IReadOnlyList<SpecDeviceRule>? rules)
    {
        if (rules is null || rules.Count == 0)
            return;
        var lines = Lines(rules);
        var tree = Tree(relativePath) ?? throw new EngineException("DeviceRulesUnsupported", ErrorKind.NotImplemented, relativePath,
            "linux.resources.devices needs the cgroup v1 devices controller (cgroup v2 device programs are not implemented)");
        var created = tree.Create();
        try
        {
            foreach (var (file, line) in lines)
                ControlFile.Write(Path.Combine(tree.Directory, file), line);
        }
        catch
        {
            CgroupTree.RemoveCreated(created);
            throw;
        }
    }

    /// <summary>Moves a process into the group's devices cgroup, when it has one; its children are born there.</summary>
    public static void AddProcess(string relativePath, int pid)
    {
        if (Tree(relativePath) is { Exists: true } tree)
            ControlFile.Write(Path.Combine(tree.Directory, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Removes the group's devices cgroup (its processes must be gone); its parents stay.</summary>
    public static void Remove(string relativePath)
    {
        if (Tree(relativePath) is { Exists: true } tree)
            tree.Remove();
    }

    private static CgroupTree? Tree(string relativePath) =>
        CgroupMounts.Read().V1Controllers.TryGetValue("devices", out var hierarchy) ? new CgroupTree(hierarchy, relativePath) : null;

    private static string Line(SpecDeviceRule rule)
    {
        string type = rule.Type ?? "a";
        if (type is not ("a" or "c" or "b"))
            throw new EngineException("InvalidDeviceRule", ErrorKind.InvalidArgument, type, $"linux.resources.devices type \"{type}\" is not one of a, c, b");
        string access = string.IsNullOrEmpty(rule.Access) ? "rwm" : rule.Access;
        if (access.Any(c => c is not ('r' or 'w' or 'm')))
            throw new EngineException("InvalidDeviceRule", ErrorKind.InvalidArgument, access, $"linux.resources.devices access \"{access}\" is not made of r, w, m");
        return $"{type} {Number(rule.Major)}:{Number(rule.Minor)} {access}";
    }

    private static string Number(long? number) => number is >= 0 ? number.Value.ToString(CultureInfo.InvariantCulture) : "*";
}
