namespace ContainerTools.Core.Oci;

/// <summary>What `create` (and `run`) are given: the id, the bundle and runc's flags.</summary>
/// <param name="InitExecutable">The executable whose `init` command is the container's init (ctrun itself), started
/// through a <see cref="Runtime.ContainerSideExecutable"/>.</param>
public sealed record OciCreateOptions(string Id, string Bundle, string InitExecutable, string? PidFile = null, string? ConsoleSocket = null, int PreserveFds = 0);
