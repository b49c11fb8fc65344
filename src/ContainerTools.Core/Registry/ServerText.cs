namespace ContainerTools.Core.Registry;

/// <summary>
/// Text a registry chose (its error messages, media types, platform names) made safe to show in a message: control
/// characters, a terminal's escape sequences among them, become '?', and it is cut to a length a message can hold.
/// </summary>
internal static class ServerText
{
    private const int MaxLength = 1024;

    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var chars = text.Length > MaxLength ? text[..MaxLength].ToCharArray() : text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) || chars[i] is '\u2028' or '\u2029')
                chars[i] = '?';
        }
        return new string(chars) + (text.Length > MaxLength ? "..." : "");
    }
}
