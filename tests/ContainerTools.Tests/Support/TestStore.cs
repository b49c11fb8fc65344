using System.Diagnostics;
using ContainerTools.Core.Store;

namespace ContainerTools.Tests.Support;

/// <summary>
/// A throwaway store for one test under /tmp/ctt/. Dispose undoes what the test made even when it failed:
/// processes whose command line names the store, mounts below it, then the files.
/// </summary>
public sealed class TestStore : IDisposable
{
    private static readonly string Base = "/tmp/ctt";

    public TestStore()
    {
        Directory.CreateDirectory(Base);
        Path = Directory.CreateTempSubdirectory("ctt-").FullName;
        // A short, unique directory under /tmp/ctt so mount options and socket paths stay short.
        string mine = System.IO.Path.Combine(Base, System.IO.Path.GetFileName(Path));
        Directory.Delete(Path);
        Directory.CreateDirectory(mine);
        Path = mine;
        Location = new StoreLocation(System.IO.Path.Combine(Path, "root"), System.IO.Path.Combine(Path, "run"));
        Directory.CreateDirectory(Location.Root);
        Directory.CreateDirectory(Location.RunRoot);
    }

    public string Path { get; }
    public StoreLocation Location { get; }

    /// <summary>A scratch directory for fixtures, inside this test's folder.</summary>
    public string Scratch(string name)
    {
        string dir = System.IO.Path.Combine(Path, "scratch", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public void Dispose()
    {
        // Container ids first: their cgroups (containertools/<id>) do not name the store.
        var containers = ContainerIds();
        KillProcessesNaming(Path);
        foreach (var id in containers)
            Cleanup.RemoveContainerCgroups(id);
        Cleanup.UnmountBelow(Path);
        Cleanup.RemoveCgroupsNaming(System.IO.Path.GetFileName(Path));
        Cleanup.RemoveTree(Path);
    }

    private List<string> ContainerIds() =>
        Directory.Exists(Location.ContainersDirectory)
            ? Directory.EnumerateDirectories(Location.ContainersDirectory).Select(d => System.IO.Path.GetFileName(d).Replace(".removing-", "")).ToList()
            : [];

    private static void KillProcessesNaming(string path)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                string cmdline = File.ReadAllText(System.IO.Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(path, StringComparison.Ordinal))
                    Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                // gone already
            }
        }
    }
}
