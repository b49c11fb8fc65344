using System.Diagnostics;
using ContainerTools.Core.Store;

namespace ContainerTools.Tests.Support;

/// <summary>
/// A throwaway store for one test under /tmp/ctt/. Dispose undoes what the test made even when it failed:
/// processes that name the store, mounts below it, then the files.
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

    /// <summary>Files and directories of the store and run root whose path names the container (its records, locks, sockets).</summary>
    public IEnumerable<string> FilesNamedFor(string id) =>
        new[] { Location.Root, Location.RunRoot }.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            .Where(path => path.Contains(id[..12], StringComparison.Ordinal));

    public void Dispose()
    {
        // Container ids first: their cgroups (containertools/<id>) do not name the store.
        var containers = ContainerIds();
        KillProcessesNaming(Path);
        Cleanup.RemoveNetworking(Location);
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

    /// <summary>
    /// Kills processes whose command line or environment names the store (monitors, and the CNI plugins they
    /// run, whose CNI_NETNS is a pin in the store), then waits for them to be gone: a plugin killed inside a
    /// netlink call may still finish it, and a bridge it made after the network clean-up would be left behind.
    /// Scans again until one finds nothing: a plugin its monitor started while the monitor was being killed
    /// outlives it, and would make that bridge.
    /// </summary>
    private static void KillProcessesNaming(string path)
    {
        for (int pass = 0; pass < 20; pass++)
            if (KillOnce(path) == 0)
                return;
    }

    /// <summary>One scan of <see cref="KillProcessesNaming"/>; returns how many it killed.</summary>
    private static int KillOnce(string path)
    {
        var killed = new List<Process>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                if (Names(dir, "cmdline", path) || Names(dir, "environ", path))
                {
                    var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                    killed.Add(process);
                }
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                // gone already
            }
        }
        foreach (var process in killed)
        {
            using (process)
                WaitUntilGone(process.Id);
        }
        return killed.Count;
    }

    private static bool Names(string processDirectory, string file, string path) =>
        File.ReadAllText(System.IO.Path.Combine(processDirectory, file)).Contains(path, StringComparison.Ordinal);

    /// <summary>Until the process is reaped or a zombie (whoever its parent is), at most 5 s.</summary>
    private static void WaitUntilGone(int pid)
    {
        for (int i = 0; i < 500; i++)
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
            Thread.Sleep(10);
        }
    }
}
