using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// A text file the container's own processes may replace, such as its /etc/passwd, read only when it is a
/// regular file: opened O_NONBLOCK, a FIFO put in its place reads as nothing instead of blocking the reader
/// (Get-ContainerProcess in the user's session, every exec) until something writes to it.
/// </summary>
public static class ContainerTextFile
{
    /// <summary>The lines of <paramref name="path"/> resolved inside <paramref name="root"/>; none when it is missing or not a regular file.</summary>
    public static IReadOnlyList<string> ReadLines(RootedPath root, string path)
    {
        using var file = root.TryOpen(path, Linux.O_RDONLY | Linux.O_NONBLOCK);
        if (file is null || Linux.Status((int)file.DangerousGetHandle(), path).Type != Linux.S_IFREG)
            return [];
        using var reader = new StreamReader(new FileStream(file, FileAccess.Read));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
            lines.Add(line);
        return lines;
    }
}
