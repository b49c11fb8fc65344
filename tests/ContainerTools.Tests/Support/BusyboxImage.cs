namespace ContainerTools.Tests.Support;

/// <summary>The module's embedded busybox image, imported into a test store as busybox:latest.</summary>
public static class BusyboxImage
{
    public static string Tarball => Path.Combine(Repository.ModuleDirectory, "images", "busybox.tar.gz");

    public static void Import(PowerShellSession ps) =>
        ps.Run($"Import-ContainerImage -Path '{Tarball}' -Name busybox:latest | Out-Null");
}
