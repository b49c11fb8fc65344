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
}
