namespace ContainerTools.Core.Registry;

/// <summary>A user name and password (or token) for one registry.</summary>
public sealed record RegistryCredential(string UserName, string Password)
{
    /// <summary>The "user:password" base64 form that Basic auth and auth.json's "auth" member use.</summary>
    public string Encoded => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(UserName + ":" + Password));

    public static RegistryCredential? Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
            return null;
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
        int colon = text.IndexOf(':');
        return colon <= 0 ? null : new RegistryCredential(text[..colon], text[(colon + 1)..]);
    }

    public override string ToString() => UserName + ":***"; // never print the secret
}
