using System.Globalization;
using ContainerTools.Core.Build.Context;

namespace ContainerTools.Core.Build.Layers;

/// <summary>
/// The owner COPY --chown gives files: "uid", "uid:gid", "name" or "name:group", names looked up in the
/// /etc/passwd and /etc/group of the image being built (a user alone means its primary group).
/// </summary>
public sealed record Owner(int Uid, int Gid)
{
    public static Owner Root { get; } = new(0, 0);

    public static Owner Resolve(string spec, BuildContext root, string where)
    {
        string[] parts = spec.Split(':', 2);
        int? primaryGroup = null;
        int uid = Id(parts[0], "passwd", root, where, ref primaryGroup);
        int? ignored = null;
        int gid = parts.Length == 2 ? Id(parts[1], "group", root, where, ref ignored) : primaryGroup ?? uid;
        return new Owner(uid, gid);
    }

    private static int Id(string name, string database, BuildContext root, string where, ref int? primaryGroup)
    {
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            return id;
        string file = "etc/" + database;
        if (root.Stat(file)?.Kind == ContextEntryKind.Regular)
        {
            using var reader = new StreamReader(root.OpenRead(file));
            while (reader.ReadLine() is { } line)
            {
                string[] fields = line.Split(':');
                if (fields.Length > 3 && fields[0] == name && int.TryParse(fields[2], CultureInfo.InvariantCulture, out id))
                {
                    if (database == "passwd" && int.TryParse(fields[3], CultureInfo.InvariantCulture, out int group))
                        primaryGroup = group;
                    return id;
                }
            }
        }
        throw new EngineException("BuildUnknownOwner", ErrorKind.InvalidArgument, name,
            $"{where}: unable to find {(database == "passwd" ? "user" : "group")} {name} in the image's /{file}");
    }
}
