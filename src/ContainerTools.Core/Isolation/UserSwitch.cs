using System.Globalization;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// The user the command runs as. Names are looked up in the container's own /etc/passwd and /etc/group,
/// after pivot_root, so they mean what they mean inside the image.
/// </summary>
public sealed record UserSwitch(uint Uid, uint Gid, IReadOnlyList<uint> Groups, string? Home)
{
    public static UserSwitch Resolve(RuntimeSpec spec)
    {
        var user = spec.Process.User;
        if (!spec.Annotations.TryGetValue(SpecAnnotations.UserName, out var named))
            return new UserSwitch(user.Uid, user.Gid, user.AdditionalGids ?? SupplementaryGroups(NameOf(user.Uid), user.Gid), HomeOf(user.Uid));
        var parts = named.Split(':', 2);
        // A uid with a group name ("1000:nogroup", as docker takes it) needs no passwd entry; only a user name must have one.
        bool numeric = uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid);
        var entry = numeric ? Passwd().FirstOrDefault(p => p[2] == parts[0])
            : Passwd().FirstOrDefault(p => p[0] == parts[0])
                ?? throw new EngineException("UserNotFound", ErrorKind.NotFound, parts[0], $"no user '{parts[0]}' in the container's /etc/passwd");
        if (!numeric)
            uid = uint.Parse(entry![2], CultureInfo.InvariantCulture);
        uint gid = entry is null ? uid : uint.Parse(entry[3], CultureInfo.InvariantCulture);
        if (parts.Length == 2)
            gid = uint.TryParse(parts[1], CultureInfo.InvariantCulture, out var number) ? number
                : Group().FirstOrDefault(g => g[0] == parts[1]) is { } group ? uint.Parse(group[2], CultureInfo.InvariantCulture)
                : throw new EngineException("GroupNotFound", ErrorKind.NotFound, parts[1], $"no group '{parts[1]}' in the container's /etc/group");
        return new UserSwitch(uid, gid, SupplementaryGroups(entry?[0], gid), entry is { Length: > 5 } ? entry[5] : null);
    }

    /// <summary>The environment with HOME set to this user's home (from /etc/passwd, else "/") unless it sets one, as runc does.</summary>
    public IReadOnlyList<string> WithHome(IReadOnlyList<string> environment) =>
        environment.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)) ? environment : [.. environment, "HOME=" + (Home is { Length: > 0 } home ? home : "/")];

    /// <summary>
    /// Sets groups, gid and uid of the calling thread, the one that execs the command next (keeping capabilities
    /// across the switch; the caller sets them next).
    /// </summary>
    public unsafe void Apply()
    {
        Errno.Check(Linux.prctl(Linux.PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        var groups = Groups.ToArray();
        fixed (uint* list = groups)
            Errno.Check(Linux.setgroups_thread((nuint)groups.Length, list), "setgroups");
        Errno.Check(Linux.setresgid_thread(Gid, Gid, Gid), "setresgid");
        Errno.Check(Linux.setresuid_thread(Uid, Uid, Uid), "setresuid");
    }

    private static string? NameOf(uint uid) =>
        Passwd().FirstOrDefault(p => p[2] == uid.ToString(CultureInfo.InvariantCulture))?[0];

    private static string? HomeOf(uint uid) =>
        Passwd().FirstOrDefault(p => p[2] == uid.ToString(CultureInfo.InvariantCulture)) is { Length: > 5 } entry ? entry[5] : null;

    private static List<uint> SupplementaryGroups(string? name, uint gid)
    {
        var groups = new List<uint> { gid };
        if (name is null)
            return groups;
        foreach (var group in Group())
        {
            if (group.Length > 3 && group[3].Split(',').Contains(name) && uint.TryParse(group[2], CultureInfo.InvariantCulture, out var id) && !groups.Contains(id))
                groups.Add(id);
        }
        return groups;
    }

    private static IEnumerable<string[]> Passwd() => Entries("/etc/passwd", 4);
    private static IEnumerable<string[]> Group() => Entries("/etc/group", 3);

    private static IEnumerable<string[]> Entries(string path, int minimumFields)
    {
        using var root = RootedPath.Open("/");
        return ContainerTextFile.ReadLines(root, path).Select(l => l.Split(':')).Where(f => f.Length >= minimumFields && !f[0].StartsWith('#')).ToList();
    }
}
