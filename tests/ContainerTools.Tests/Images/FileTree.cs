using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>A directory tree as text (path, type, mode, owner, size, link target, content hash), to compare trees exactly.</summary>
public static class FileTree
{
    public static string Describe(string root)
    {
        string listing = Tool.Run("find", root, "-mindepth", "1", "-printf", "%P|%y|%m|%U:%G|%l\n");
        var lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string path = line.Split('|')[0];
            string full = Path.Combine(root, path);
            return line.Contains("|f|", StringComparison.Ordinal)
                ? line + "|" + ImageFixtures.Sha256(File.ReadAllBytes(full))[7..19]
                : line;
        });
        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }

    /// <summary>stat(1)'s view of one path: type|octal mode|uid|gid|major|minor (hex)|mtime seconds.</summary>
    public static string Stat(string path) => Tool.Run("stat", "-c", "%F|%a|%u|%g|%t|%T|%Y", path).Trim();

    public static unsafe string? Xattr(string path, string name)
    {
        byte* buffer = stackalloc byte[256];
        nint n = Linux.lgetxattr(path, name, buffer, 256);
        return n < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, (int)n);
    }

    public static unsafe void SetXattr(string path, string name, string value)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(value);
        fixed (byte* p = bytes)
            Errno.Check(Linux.lsetxattr(path, name, p, (nuint)bytes.Length, 0), "lsetxattr", path);
    }
}
