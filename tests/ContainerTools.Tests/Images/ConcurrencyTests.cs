using System.Diagnostics;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Real pwsh processes on one store: imports at once, and a kill -9 in the middle of one.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void TwoProcessesImportingTheSameImageAtOnceBothSucceed()
    {
        string tarball = ManyFiles(_store.Scratch("in"), 3000);
        using var first = StartImport(tarball, "first:1");
        using var second = StartImport(tarball, "second:2");
        first.WaitForExit();
        second.WaitForExit();

        Assert.True(first.ExitCode == 0, first.StandardError.ReadToEnd());
        Assert.True(second.ExitCode == 0, second.StandardError.ReadToEnd());
        // A rootfs import is a new image each time (its config records when); the layer is the same and unpacked once.
        var images = new ImageStore(_store.Location).List();
        Assert.Equal(["docker.io/library/first:1", "docker.io/library/second:2"], images.SelectMany(i => i.Names).Order());
        Assert.Single(images.Select(i => i.Layers.Single().ChainId).Distinct());
        Assert.Single(Directory.GetDirectories(_store.Location.LayersDirectory));
        Assert.Equal(3000, Directory.GetFiles(new ImageStore(_store.Location).LayerDirectory(images[0].Layers[0].ChainId), "*", SearchOption.AllDirectories).Length);
        AssertNoTemps();
    }

    [Fact]
    public void AKillMinus9MidImportLeavesAStoreTheNextCommandReadsAndTidies()
    {
        Assert.Equal(0, RunImport(Busybox.CreateRootfsTarball(_store.Scratch("bb")), "before:1"));
        string busybox = Path.Combine(_store.Scratch("oci"), "busybox-oci.tar");
        ContainerTools.Core.Images.Archives.ImageExporter.Export(_store.Location, "before:1", busybox, ContainerTools.Core.Images.Archives.ExportFormat.Oci);
        string before = ImageFixtures.Snapshot(_store.Location.Root);
        string big = ManyFiles(_store.Scratch("big"), 20000);

        using (var victim = StartImport(big, "victim:1"))
        {
            // Wait until the victim is inside the unpack (its temp layer directory exists), then kill it there.
            while (!Directory.Exists(_store.Location.LayersDirectory) ||
                   !Directory.EnumerateDirectories(_store.Location.LayersDirectory, ".tmp-*").Any())
            {
                if (victim.HasExited)
                    Assert.Fail($"the import ended ({victim.ExitCode}) before it could be killed: {victim.StandardOutput.ReadToEnd()}{victim.StandardError.ReadToEnd()}");
                Thread.Sleep(5);
            }
            victim.Kill();
            victim.WaitForExit();
        }

        var images = new ImageStore(_store.Location);
        Assert.Equal(["docker.io/library/before:1"], images.List().SelectMany(i => i.Names));
        Assert.Null(images.TryResolve("victim:1"));
        Assert.Equal(0, RunImport(busybox, "after:2"));
        AssertNoTemps();
        Assert.Equal(2, images.Resolve("after:2").Names.Count);
        // Only the index changed (a name added); the killed import left nothing behind.
        Assert.Equal(Without(before, "images/index.json"), Without(ImageFixtures.Snapshot(_store.Location.Root), "images/index.json"));
    }

    private void AssertNoTemps()
    {
        foreach (string dir in new[] { _store.Location.LayersDirectory, Path.Combine(_store.Location.ImagesDirectory, "blobs", "sha256"), _store.Location.TempDirectory })
            Assert.Empty(Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir, ".tmp-*") : []);
    }

    private static string Without(string snapshot, string path) =>
        string.Join('\n', snapshot.Split('\n').Where(l => !l.StartsWith(path, StringComparison.Ordinal)));

    /// <summary>A gzip tarball of <paramref name="count"/> small files: slow enough to unpack that a kill lands in the middle.</summary>
    private static string ManyFiles(string scratch, int count)
    {
        string tar = ImageFixtures.Tar(Path.Combine(scratch, "many.tar"), w =>
        {
            for (int i = 0; i < count; i++)
                w.AddFile($"d{i % 50}/f{i}", "content " + i);
        });
        return tar;
    }

    private int RunImport(string path, string name)
    {
        using var process = StartImport(path, name);
        process.WaitForExit();
        return process.ExitCode;
    }

    private Process StartImport(string path, string name)
    {
        var start = new ProcessStartInfo(Pwsh.Required()) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-NoProfile", "-NonInteractive", "-Command",
            $"$ContainerToolsRoot = '{_store.Location.Root}'; $ContainerToolsRunRoot = '{_store.Location.RunRoot}'; " +
            $"Import-Module '{Repository.ModuleManifest}'; Import-ContainerImage -Path '{path}' -Name '{name}' -ErrorAction Stop | Out-Null" })
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
