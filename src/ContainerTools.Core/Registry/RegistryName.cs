using ContainerTools.Core.Images;

namespace ContainerTools.Core.Registry;

/// <summary>A registry as users type it (host[:port], with or without a scheme or path) in the form images and auth.json use.</summary>
public static class RegistryName
{
    public static string Normalize(string text)
    {
        string name = text.Trim();
        int scheme = name.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            name = name[(scheme + 3)..];
        name = name.TrimEnd('/');
        int slash = name.IndexOf('/');
        if (slash >= 0)
            name = name[..slash]; // https://index.docker.io/v1/ and friends
        name = name.ToLowerInvariant();
        if (name is "index.docker.io" or "registry-1.docker.io")
            name = ImageReference.DefaultRegistry;
        // The reference grammar decides what a registry host may look like.
        if (name.Length == 0 || !ImageReference.TryParse(name + "/probe", out var probe) || probe.Registry != name)
            throw new EngineException("InvalidRegistryName", ErrorKind.InvalidArgument, text, $"'{text}' is not a registry host[:port].");
        return name;
    }

    /// <summary>
    /// What a login is stored under, as podman login keeps it: the registry host[:port], or a namespace of it
    /// ("quay.io/org") whose repositories alone it serves. A scheme makes the text a URL, whose path is no namespace.
    /// </summary>
    public static string LoginKey(string text)
    {
        string host = Normalize(text);
        string name = text.Trim();
        int slash = name.IndexOf('/');
        if (name.Contains("://", StringComparison.Ordinal) || slash < 0 || name[(slash + 1)..].TrimEnd('/') is not { Length: > 0 } path)
            return host;
        // The reference grammar decides what a namespace may look like: repository path components, no tag or digest.
        if (!ImageReference.TryParse("localhost/" + path, out var probe) || probe.Repository != path || path.Contains(':') || path.Contains('@'))
            throw new EngineException("InvalidRegistryName", ErrorKind.InvalidArgument, text, $"'{text}' is not a registry host[:port] or a namespace of one (host/org).");
        return host + "/" + path;
    }
}
