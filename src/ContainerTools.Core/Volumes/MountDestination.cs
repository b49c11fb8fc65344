namespace ContainerTools.Core.Volumes;

/// <summary>Where a volume or tmpfs goes inside the container: an absolute path other than / itself.</summary>
internal static class MountDestination
{
    public static string Validate(string destination, string given)
    {
        if (!destination.StartsWith('/') || destination.Trim('/').Length == 0 || destination.Split('/').Any(p => p is "." or ".."))
            throw new EngineException("InvalidMountDestination", ErrorKind.InvalidArgument, given,
                $"'{given}': the path in the container must be absolute, not / itself, without '.' or '..'");
        return "/" + string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }
}
