using System.Diagnostics;
using System.Formats.Tar;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>
/// kill -9 of a pwsh at moments swept across an image operation (import, remove, pull, build, export, tag,
/// volumes): after each kill the store reads, the same operation works again, no half image is visible, and
/// what the killed process left is tidied by that next run, so repeated kills leave nothing growing.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ImageKillTests : IDisposable
{
    private const int KillPoints = 4;

    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;
    private LocalRegistry? _registry;

    public ImageKillTests()
    {
        _ps = new PowerShellSession(_store);
        BusyboxImage.Import(_ps);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _registry?.Dispose();
        _store.Dispose();
    }

    /// <summary>An operation as a loop body a child pwsh repeats, and the same operation made to work from whatever a kill left.</summary>
    private sealed record Operation(string Loop, string Again);

    [Theory]
    [InlineData("import and remove")]
    [InlineData("pull")]
    [InlineData("build")]
    [InlineData("export")]
    [InlineData("tag")]
    [InlineData("volume")]
    public void KilledAtAnyMomentTheNextCommandsWorkAndNothingIsLeft(string name)
    {
        var operation = Prepare(name);
        string outputs = _store.Scratch("out");
        double once = TimeOnce(operation);
        for (int point = 0; point < KillPoints; point++)
        {
            KillDuring(operation, TimeSpan.FromMilliseconds(once * (point + 0.5) / KillPoints));
            AssertWhole();
            _ps.Run(operation.Again);
            AssertWhole();
            AssertNothingLeft(outputs);
            // A removal tidies what the killed process left unreferenced (a build's cache is such content too).
            if (operation.Again.Contains("Remove-ContainerImage", StringComparison.Ordinal))
                AssertOnlyReferencedContent();
            if (name == "export")
                AssertComplete(Path.Combine(outputs, "image.tar"));
        }
        // An import tidies too, after any operation.
        BusyboxImage.Import(_ps);
        AssertOnlyReferencedContent();
    }

    private Operation Prepare(string name)
    {
        string outputs = _store.Scratch("out");
        switch (name)
        {
            case "import and remove":
                string archive = MultiLayerArchive();
                return new($"Import-ContainerImage '{archive}' -Name multi:1 | Out-Null; Remove-ContainerImage multi:1 | Out-Null",
                    $"Import-ContainerImage '{archive}' -Name multi:1 | Out-Null; Remove-ContainerImage multi:1 | Out-Null");
            case "pull":
                _registry = LocalRegistry.Start(_store);
                string image = _registry.Publish("kill/pulled:1", "pulled");
                return new($"Request-ContainerImage {image} -AllowHttp | Out-Null; Remove-ContainerImage {image} | Out-Null",
                    $"Request-ContainerImage {image} -AllowHttp | Out-Null; Remove-ContainerImage {image} | Out-Null");
            case "build":
                string context = _store.Scratch("context");
                File.WriteAllText(Path.Combine(context, "file.txt"), "copied");
                File.WriteAllText(Path.Combine(context, "Dockerfile"), """
                    FROM busybox
                    RUN echo one > /one
                    COPY file.txt /copied.txt
                    RUN echo two > /two && mkdir /many && cd /many && for i in $(seq 1 300); do echo $i > f$i; done
                    ENV STEP=done
                    """);
                return new($"Build-ContainerImage -Path '{context}' -Tag built:1 -NoCache 6>$null | Out-Null",
                    $"Build-ContainerImage -Path '{context}' -Tag built:1 6>$null | Out-Null; Remove-ContainerImage built:1 | Out-Null");
            case "export":
                string tar = Path.Combine(outputs, "image.tar");
                return new($"Export-ContainerImage busybox '{tar}' | Out-Null; Export-ContainerImage busybox '{tar}' -Format Docker | Out-Null",
                    $"Export-ContainerImage busybox '{tar}' | Out-Null");
            case "tag":
                return new("Add-ContainerImageTag busybox tagged:1 | Out-Null; Remove-ContainerImage tagged:1 | Out-Null",
                    "Add-ContainerImageTag busybox tagged:1 | Out-Null; Remove-ContainerImage tagged:1 | Out-Null");
            case "volume":
                // A new name each turn: a killed create's directory is never made whole again by the same name.
                return new("$v = \"v$(Get-Random)\"; New-ContainerVolume $v | Out-Null; Remove-ContainerVolume $v",
                    "Get-ContainerVolume | Remove-ContainerVolume; New-ContainerVolume kept | Out-Null; Remove-ContainerVolume kept");
            default:
                throw new ArgumentException(name);
        }
    }

    /// <summary>Three layers of many small files: unpacking them takes long enough for kills to land inside.</summary>
    private string MultiLayerArchive()
    {
        string scratch = _store.Scratch("layers");
        var layers = Enumerable.Range(0, 3).Select(layer => ImageFixtures.Tar(Path.Combine(scratch, $"layer{layer}.tar"), w =>
        {
            for (int i = 0; i < 1500; i++)
                w.AddFile($"l{layer}/d{i % 30}/f{i}", $"layer {layer} file {i}");
        })).ToList();
        string layout = ImageFixtures.OciLayout(_store.Scratch("layout"), layers);
        return ImageFixtures.TarOf(layout, Path.Combine(scratch, "multi.tar"));
    }

    /// <summary>Milliseconds one uncut turn of the loop takes (measured, so the kills spread over it).</summary>
    private double TimeOnce(Operation operation)
    {
        using var pwsh = Pwsh.Start(_store, $"[Console]::Out.WriteLine('ready'); {operation.Loop}; [Console]::Out.WriteLine('done')");
        pwsh.StandardInput.Close();
        Assert.Equal("ready", pwsh.StandardOutput.ReadLine());
        var clock = Stopwatch.StartNew();
        string? line = pwsh.StandardOutput.ReadLine();
        clock.Stop();
        pwsh.WaitForExit();
        Assert.True(line == "done" && pwsh.ExitCode == 0, $"the uncut run failed: {pwsh.StandardError.ReadToEnd()}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private void KillDuring(Operation operation, TimeSpan after)
    {
        using var pwsh = Pwsh.Start(_store, $"[Console]::Out.WriteLine('ready'); while ($true) {{ {operation.Loop} }}");
        pwsh.StandardInput.Close();
        Assert.Equal("ready", pwsh.StandardOutput.ReadLine());
        Thread.Sleep(after);
        pwsh.Kill();
        pwsh.WaitForExit();
    }

    /// <summary>Every command reads the store, and every image it lists is whole (its blobs, its unpacked layers) and runs.</summary>
    private void AssertWhole()
    {
        _ps.Run("Get-ContainerImage | Out-Null; Get-ContainerVolume | Out-Null; Get-Container | Out-Null");
        var images = new ImageStore(_store.Location);
        foreach (var image in images.List())
        {
            Assert.True(images.Blobs.Has(image.Id) && images.Blobs.Has(image.ManifestDigest), $"image {image.ShortId} lacks a blob");
            foreach (var layer in image.Layers)
                Assert.True(images.Blobs.Has(layer.Digest) && images.Layers.Has(layer.ChainId), $"image {image.ShortId} lacks layer {layer.Digest}");
            _ps.Run($"$c = New-Container '{image.Id}' -Command true; Remove-Container -Id $c.Id");
        }
    }

    /// <summary>After an uncut run: no temp, half-deleted volume or build container of the killed process remains.</summary>
    private void AssertNothingLeft(string outputs)
    {
        var leftovers = new[] { _store.Location.Root, _store.Location.RunRoot, outputs }
            .SelectMany(root => Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            .Where(path => !path.Contains("/diff/", StringComparison.Ordinal))
            .Where(path => Path.GetFileName(path).StartsWith(".tmp-", StringComparison.Ordinal) || Path.GetFileName(path).StartsWith(".removing-", StringComparison.Ordinal))
            .ToList();
        if (Directory.Exists(_store.Location.VolumesDirectory))
            leftovers.AddRange(Directory.EnumerateDirectories(_store.Location.VolumesDirectory).Where(volume => !File.Exists(Path.Combine(volume, "volume.json"))));
        Assert.True(leftovers.Count == 0, "left behind: " + string.Join(", ", leftovers));
        Assert.Empty(new ContainerStore(_store.Location).List());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(outputs), path => Path.GetFileName(path) != "image.tar");
    }

    /// <summary>An exported archive, if there, is whole: a tar that reads to its end with the layout's index.</summary>
    private static void AssertComplete(string tar)
    {
        Assert.True(File.Exists(tar), "the export run uncut wrote no archive");
        using var reader = new TarReader(File.OpenRead(tar));
        var names = new List<string>();
        while (reader.NextEntry() is { } entry)
            names.Add(entry.Name);
        Assert.Contains("index.json", names);
    }

    private void AssertOnlyReferencedContent()
    {
        var images = new ImageStore(_store.Location);
        var records = images.List();
        var blobs = records.SelectMany(i => new[] { i.Id, i.ManifestDigest }.Concat(i.Layers.Select(l => l.Digest))).ToHashSet();
        var chains = records.SelectMany(i => i.Layers.Select(l => Digest.Hex(l.ChainId))).ToHashSet();
        Assert.Equal(blobs.Select(Digest.Hex).Order(), Directory.EnumerateFiles(images.Blobs.Directory).Select(Path.GetFileName).Order());
        Assert.Equal(chains.Order(), Directory.EnumerateDirectories(images.Layers.Directory).Select(Path.GetFileName).Order());
    }
}
