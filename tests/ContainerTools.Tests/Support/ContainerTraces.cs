using ContainerTools.Core.Runtime;

namespace ContainerTools.Tests.Support;

/// <summary>What a removed container must not leave: files of the store, mounts, cgroups or processes.</summary>
public static class ContainerTraces
{
    public static void AssertNothingLeft(TestStore store, string id)
    {
        Assert.Empty(store.FilesNamedFor(id));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(id, StringComparison.Ordinal));
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
            Assert.False(Directory.Exists(Path.Combine(hierarchy, "containertools", id)), $"cgroup {hierarchy}/containertools/{id} remains");
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                string commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (commandLine.Contains(store.Location.Root, StringComparison.Ordinal) && !IsIdleSpare(dir, commandLine))
                    Assert.Fail($"process {Path.GetFileName(dir)} of the store remains ({Comm(dir)}: {commandLine.Replace('\0', ' ')})");
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// A spare monitor waiting for a container it may never get (it belongs to no container): named so once its
    /// runtime is up, which a spare just started reaches within moments; one that took an id is named ctmon again.
    /// </summary>
    private static bool IsIdleSpare(string dir, string commandLine) =>
        commandLine.Split('\0') is [_, "monitor", _, _, SpareMonitor.NoId, ..]
        && SpinWait.SpinUntil(() => Comm(dir) != "ctmon", TimeSpan.FromSeconds(5)) && Comm(dir) is SpareMonitor.IdleName or null;

    private static string? Comm(string dir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

}
