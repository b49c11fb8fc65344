using System.Text;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Strings sent down a pipe to a process started ahead of its work (a spare monitor's container id, a spare init's
/// bundle and cgroup entries): each as a 2-byte length and its UTF-8, then an empty one. The reader takes no byte
/// past the end, so what follows on the pipe (the launch handoff, the release) stays for its own reader.
/// </summary>
internal static class PipeMessage
{
    public static byte[] Encode(IEnumerable<string> strings)
    {
        var message = new MemoryStream();
        foreach (string text in strings.Append(""))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            message.WriteByte(checked((byte)(bytes.Length >> 8)));
            message.WriteByte((byte)bytes.Length);
            message.Write(bytes);
        }
        return message.ToArray();
    }

    /// <summary>The strings, or null at EOF before the message ended (the sender gave up, or died).</summary>
    public static List<string>? Read(int fd)
    {
        var strings = new List<string>();
        Span<byte> length = stackalloc byte[2];
        while (Linux.ReadExactly(fd, length))
        {
            byte[] text = new byte[length[0] << 8 | length[1]];
            if (text.Length == 0)
                return strings;
            if (!Linux.ReadExactly(fd, text))
                return null;
            strings.Add(Encoding.UTF8.GetString(text));
        }
        return null;
    }
}
