namespace ContainerTools.Core.Store;

/// <summary>
/// Where a store lives: the persistent root (images, layers, containers, volumes, networks, locks) and the
/// runtime root (state that must not survive a reboot). Every engine operation is given one of these
/// explicitly, so tests and benchmarks each work on their own throwaway store.
/// </summary>
public sealed record StoreLocation(string Root, string RunRoot)
{
    public const string RootVariable = "CONTAINERTOOLS_ROOT";
    public const string RunRootVariable = "CONTAINERTOOLS_RUNROOT";

    public string ImagesDirectory => System.IO.Path.Combine(Root, "images");
    public string LayersDirectory => System.IO.Path.Combine(Root, "layers");
    public string ContainersDirectory => System.IO.Path.Combine(Root, "containers");
    public string VolumesDirectory => System.IO.Path.Combine(Root, "volumes");
    public string NetworksDirectory => System.IO.Path.Combine(Root, "networks");
    public string LocksDirectory => System.IO.Path.Combine(Root, "locks");
    public string TempDirectory => System.IO.Path.Combine(Root, "tmp");
    public string SeccompDirectory => System.IO.Path.Combine(Root, "seccomp");

    /// <summary>
    /// The store to use: explicit values first, then CONTAINERTOOLS_ROOT / CONTAINERTOOLS_RUNROOT, then the
    /// defaults (/var/lib/containertools and /run/containertools for root, XDG locations for others).
    /// </summary>
    public static StoreLocation Resolve(string? root = null, string? runRoot = null)
    {
        root = NonEmpty(root) ?? NonEmpty(Environment.GetEnvironmentVariable(RootVariable)) ?? DefaultRoot();
        runRoot = NonEmpty(runRoot) ?? NonEmpty(Environment.GetEnvironmentVariable(RunRootVariable)) ?? DefaultRunRoot(root);
        return new StoreLocation(System.IO.Path.GetFullPath(root), System.IO.Path.GetFullPath(runRoot));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool IsRoot => Environment.UserName == "root" || Tmds.Linux.LibC.geteuid() == 0;

    private static string DefaultRoot()
    {
        if (IsRoot)
            return "/var/lib/containertools";
        string data = NonEmpty(Environment.GetEnvironmentVariable("XDG_DATA_HOME"))
            ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return System.IO.Path.Combine(data, "containertools");
    }

    private static string DefaultRunRoot(string root)
    {
        // A store given by CONTAINERTOOLS_ROOT gets its runtime state beside it, so throwaway stores never meet.
        if (NonEmpty(Environment.GetEnvironmentVariable(RootVariable)) is not null || root != DefaultRoot())
            return System.IO.Path.Combine(root, "run");
        if (IsRoot)
            return "/run/containertools";
        string? xdg = NonEmpty(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"));
        return xdg is null ? System.IO.Path.Combine(root, "run") : System.IO.Path.Combine(xdg, "containertools");
    }
}
