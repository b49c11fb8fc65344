namespace ContainerTools.Tests.Support;

/// <summary>Where the repository and the built module are. CONTAINERTOOLS_MODULE overrides the module folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ModuleDirectory =>
        Environment.GetEnvironmentVariable("CONTAINERTOOLS_MODULE") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(Root, "out", "ContainerTools");

    public static string ModuleManifest => Path.Combine(ModuleDirectory, "ContainerTools.psd1");

    /// <summary>The NativeAOT monitor shipped in the module folder.</summary>
    public static string Monitor => Path.Combine(ModuleDirectory, "ctmon");

    public static string Ctrun => Path.Combine(ModuleDirectory, "ctrun");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContainerTools.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("ContainerTools.sln not found above " + AppContext.BaseDirectory);
    }
}
