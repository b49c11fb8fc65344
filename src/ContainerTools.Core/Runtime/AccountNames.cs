using System.Globalization;
using ContainerTools.Core.Isolation;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The user and group names a container's own /etc/passwd and /etc/group give its ids (read inside its root,
/// as a file it may have replaced), for the uname and gname of an export as docker export writes them.
/// </summary>
public sealed class AccountNames
{
    private readonly Dictionary<uint, string> _users;
    private readonly Dictionary<uint, string> _groups;

    private AccountNames(Dictionary<uint, string> users, Dictionary<uint, string> groups)
    {
        _users = users;
        _groups = groups;
    }

    public static AccountNames Read(RootedPath root) => new(Named(root, "/etc/passwd"), Named(root, "/etc/group"));

    /// <summary>The name of a user id, empty when the container names none (the archive then holds the number only).</summary>
    public string User(uint uid) => _users.GetValueOrDefault(uid, "");

    public string Group(uint gid) => _groups.GetValueOrDefault(gid, "");

    /// <summary>
    /// The names the account file <paramref name="path"/> (name:password:id:... lines) gives ids inside
    /// <paramref name="root"/>; the first name given an id is its name, as getpwuid finds it.
    /// </summary>
    public static Dictionary<uint, string> Named(RootedPath root, string path)
    {
        var names = new Dictionary<uint, string>();
        foreach (string line in ContainerTextFile.ReadLines(root, path))
        {
            string[] fields = line.Split(':');
            if (fields.Length > 2 && fields[0].Length > 0 && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint id))
                names.TryAdd(id, fields[0]);
        }
        return names;
    }
}
