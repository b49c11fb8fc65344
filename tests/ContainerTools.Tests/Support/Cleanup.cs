using System.Runtime.InteropServices;

namespace ContainerTools.Tests.Support;

/// <summary>Undoing what tests made on the host: mounts, cgroups, files.</summary>
public static partial class Cleanup
{
    private const int MNT_DETACH = 2;

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);

    /// <summary>Lazily unmounts every mount point at or below <paramref name="path"/>, deepest first.</summary>
    public static void UnmountBelow(string path)
    {
        for (int round = 0; round < 5; round++)
        {
            var mounts = MountPointsBelow(path);
            if (mounts.Count == 0)
                return;
            foreach (var mount in mounts.OrderByDescending(m => m.Length))
                Umount2(mount, MNT_DETACH);
        }
    }

    public static List<string> MountPointsBelow(string path)
    {
        string prefix = path.TrimEnd('/');
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(m => m == prefix || m.StartsWith(prefix + "/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
    }

    /// <summary>
    /// Removes the shared parent groups the engine and ctrun keep between containers ("containertools",
    /// "ctrun"), and podman's for its conmon ("libpod_parent/conmon", made when the tests drive podman), from
    /// every hierarchy once they are empty: rmdir refuses one that still has a group or process in it.
    /// </summary>
    public static void RemoveEmptySharedCgroupParents()
    {
        if (!Directory.Exists("/sys/fs/cgroup"))
            return;
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            foreach (string parent in new[] { Core.Isolation.Cgroups.Cgroups.ContainersParent, Core.Oci.OciCreate.CgroupParent, "libpod_parent/conmon", "libpod_parent" })
            {
                try { Directory.Delete(Path.Combine(hierarchy, parent)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>Removes cgroup directories (any hierarchy, deepest first) whose path contains <paramref name="fragment"/>.</summary>
    public static void RemoveCgroupsNaming(string fragment)
    {
        if (!Directory.Exists("/sys/fs/cgroup"))
            return;
        var found = new List<string>();
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            try
            {
                found.AddRange(Directory.EnumerateDirectories(hierarchy, "*", SearchOption.AllDirectories)
                    .Where(d => d.Contains(fragment, StringComparison.Ordinal)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        foreach (var dir in found.OrderByDescending(d => d.Length))
        {
            try { Directory.Delete(dir); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Kills what is left in a container's cgroups (the monitor's death kills its init, but a test must not
    /// rely on the code under test) and removes them. The shared parent is left: other tests use it at the same time.
    /// </summary>
    public static void RemoveContainerCgroups(string containerId)
    {
        if (!Directory.Exists("/sys/fs/cgroup"))
            return;
        var groups = Directory.EnumerateDirectories("/sys/fs/cgroup")
            .Select(h => Path.Combine(h, "containertools", containerId))
            .Where(Directory.Exists)
            .ToList();
        for (int round = 0; round < 50 && groups.Any(Directory.Exists); round++)
        {
            foreach (var group in groups.Where(Directory.Exists))
            {
                try
                {
                    Thaw(group);
                    foreach (var pid in File.ReadAllLines(Path.Combine(group, "cgroup.procs")))
                        System.Diagnostics.Process.GetProcessById(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)).Kill();
                    Directory.Delete(group);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    Thread.Sleep(20);
                }
            }
        }
    }

    /// <summary>A frozen process takes its SIGKILL only once thawed (a test that failed while its container was paused).</summary>
    private static void Thaw(string group)
    {
        foreach (var (file, thawed) in new[] { ("freezer.state", "THAWED"), ("cgroup.freeze", "0") })
        {
            if (File.Exists(Path.Combine(group, file)))
                File.WriteAllText(Path.Combine(group, file), thawed);
        }
    }

    public static void RemoveTree(string path)
    {
        if (!Directory.Exists(path))
            return;
        if (MountPointsBelow(path).Count > 0)
            throw new InvalidOperationException($"mounts remain below {path}; not deleting through them");
        Directory.Delete(path, recursive: true);
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
