namespace ContainerTools.Core.Volumes;

/// <summary>Where a volume or tmpfs goes inside the container: an absolute path other than / itself.</summary>
internal static class MountDestination
{
    public static string Validate(string destination, string given)
    {
        if (!destination.StartsWith('/') || destination.Trim('/').Length == 0 || destination.Split('/').Any(p => p is "." or ".."))
            throw new EngineException("InvalidMountDestination", ErrorKind.InvalidArgument, given,
                $"'{given}': the path in the container must be absolute, not / itself, without '.' or '..'");
        string normalized = "/" + string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries));
        // The start mounts the container's own proc there and reads it: a mount over it failed the start with no word of why.
        if (normalized == "/proc")
            throw new EngineException("InvalidMountDestination", ErrorKind.InvalidArgument, given,
                $"'{given}': nothing can be mounted on /proc, the container's own proc file system (runc refuses it too)");
        return normalized;
    }
}
