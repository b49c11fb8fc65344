namespace ContainerTools.Core.Runtime;

/// <summary>
/// A copy endpoint: `web:/etc/hosts` names a path in container web, anything else a host path. As in
/// `docker cp`, a part before ':' that holds a '/' is a host path (./a:b), not a container name.
/// </summary>
public sealed record ContainerFilePath(string? Container, string Path)
{
    public static ContainerFilePath Parse(string value)
    {
        if (string.IsNullOrEmpty(value))
            throw new EngineException("InvalidPath", ErrorKind.InvalidArgument, value, "an empty path was given");
        int colon = value.IndexOf(':');
        if (colon <= 0 || value[..colon].Contains('/'))
            return new ContainerFilePath(null, value);
        string path = value[(colon + 1)..];
        if (!path.StartsWith('/'))
            throw new EngineException("InvalidPath", ErrorKind.InvalidArgument, value, $"'{value}': a path in a container must be absolute (container:/path)");
        return new ContainerFilePath(value[..colon], path);
    }
}
