namespace ContainerTools.Core.Runtime;

/// <summary>
/// Engine-specific facts the OCI spec has no field for, carried as annotations so config.json stays a
/// valid OCI configuration.
/// </summary>
public static class SpecAnnotations
{
    /// <summary>The overlay that becomes root.path: lower directories, top first, separated by ':'.</summary>
    public const string OverlayLower = "org.containertools.overlay.lowerdir";
    public const string OverlayUpper = "org.containertools.overlay.upperdir";
    public const string OverlayWork = "org.containertools.overlay.workdir";
    /// <summary>A user given by name (name[:group]): resolved by the init from the container's own /etc/passwd.</summary>
    public const string UserName = "org.containertools.user";

    /// <summary>The overlay's lower directories, top first (none for an OCI bundle's plain rootfs).</summary>
    public static IReadOnlyList<string> LowerDirectories(RuntimeSpec spec) =>
        spec.Annotations.TryGetValue(OverlayLower, out var lower) ? lower.Split(':') : [];
    /// <summary>
    /// The Unix socket the init sends its terminal's master to (process.terminal): the pwsh running the
    /// container interactively listens there while it starts.
    /// </summary>
    public const string ConsoleSocket = "org.containertools.console-socket";
}
