using System.Management.Automation;
using System.Text.RegularExpressions;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Get/Add-Tag/Remove/Export/History as a user runs them: the pipeline, the rendered tables, -WhatIf, completion.</summary>
public sealed partial class ImageCmdletTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;
    private readonly string _id;

    public ImageCmdletTests()
    {
        _ps = new PowerShellSession(_store);
        _id = _ps.Run($"Import-ContainerImage -Path '{Busybox.CreateRootfsTarball(_store.Scratch("in"))}' -Name busybox:latest").Single().Text("Id")!;
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    /// <summary>The rendered text without the colour sequences the host is sent.</summary>
    private string Render(string script) => Ansi().Replace(_ps.Render(script), "");

    [GeneratedRegex("\x1b\\[[0-9;]*m")]
    private static partial Regex Ansi();

    private List<string?> Names(string script = "Get-ContainerImage") => _ps.Run(script).Select(o => o.Text("Name")).Order().ToList();

    [Fact]
    public void RemoveContainerImageTidiesWhatAKilledImportLeftButNotWhileAnImportOrPullRuns()
    {
        var images = new ContainerTools.Core.Images.ImageStore(_store.Location);
        var (blob, chainId) = ImageFixtures.UnreferencedLayer(images, _store);
        _ps.Run("Add-ContainerImageTag busybox other:1");

        // An import or pull in another process: what it has stored is not referenced yet, and must stay.
        using (images.HoldIngest())
            _ps.Run("Remove-ContainerImage other:1");
        Assert.True(images.Blobs.Has(blob) && images.Layers.Has(chainId), "a removal took content an import still running may need");

        _ps.Run("Add-ContainerImageTag busybox other:1; Remove-ContainerImage other:1");

        Assert.False(images.Blobs.Has(blob), "the killed import's blob is still there");
        Assert.False(images.Layers.Has(chainId), "the killed import's layer is still there");
        _ps.Run("$c = New-Container busybox -Network none -Command true; Remove-Container -Id $c.Id");
    }

    [Fact]
    public void TheTableLooksLikeDockerImages()
    {
        string text = Render("Get-ContainerImage");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^Repository\s+Tag\s+Id\s+Created\s+Size$", lines[0]);
        Assert.Matches($@"^busybox\s+latest\s+{_id[7..19]}\s+(Less than a second ago|\d+ seconds? ago)\s+\d\.\d+MB$", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void NamesWildcardsIdsAndDanglingSelectRows()
    {
        _ps.Run("Add-ContainerImageTag busybox team/tools:1.0, localhost:5000/box:2");
        Assert.Equal(["busybox:latest", "localhost:5000/box:2", "team/tools:1.0"], Names());
        Assert.Equal(["busybox:latest"], Names("Get-ContainerImage busybox"));
        Assert.Equal(["busybox:latest"], Names("Get-ContainerImage docker.io/library/busybox:latest"));
        Assert.Equal(["busybox:latest", "localhost:5000/box:2"], Names("Get-ContainerImage *box*"));
        Assert.Equal(3, Names($"Get-ContainerImage -Id {_id[7..15]}").Count);
        // The id as the table shows it, or whole with sha256:, where a name goes (as docker image inspect takes it).
        Assert.Equal(3, Names($"Get-ContainerImage {_id[7..19]}").Count);
        Assert.Equal(3, Names($"Get-ContainerImage {_id}").Count);
        Assert.Empty(Names("Get-ContainerImage -Dangling"));
        var missing = _ps.Invoke("Get-ContainerImage nosuch:1");
        var error = Assert.Single(missing.Errors);
        Assert.Equal("ImageNotFound,ContainerTools.Cmdlets.GetContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Empty(_ps.Invoke("Get-ContainerImage nosuch*").AllErrors);
    }

    [Fact]
    public void TheObjectsCarryTheConfigLayersAndDigests()
    {
        var image = _ps.Run("Get-ContainerImage busybox").Single();
        Assert.Equal(_id, image.Text("Id"));
        Assert.StartsWith("sha256:", image.Text("ManifestDigest"));
        Assert.Equal("linux", image.Text("Os"));
        Assert.Contains(image.Config().Env, e => e.StartsWith("PATH=", StringComparison.Ordinal));
        var layer = Assert.Single(image.Layers());
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", layer.MediaType);
        Assert.Equal(layer.DiffId, layer.ChainId);
    }

    [Fact]
    public void RemovingANameUntagsAndTheLastNameDeletesTheImageButKeepsSharedLayers()
    {
        _ps.Run("Add-ContainerImageTag busybox other:1");
        string otherTarball = Path.Combine(_store.Scratch("other"), "other.tar");
        Tool.Run("tar", "-cf", otherTarball, "-C", _store.Scratch("empty"), ".");
        var other = _ps.Run($"Import-ContainerImage '{otherTarball}' -Name unrelated:1").Single();

        _ps.Run("Get-ContainerImage other | Remove-ContainerImage");
        Assert.Equal(["busybox:latest", "unrelated:1"], Names());

        _ps.Run("Add-ContainerImageTag busybox again:2");
        var refused = _ps.Invoke($"Remove-ContainerImage -Id {_id[7..19]}");
        Assert.Equal("ImageHasSeveralNames,ContainerTools.Cmdlets.RemoveContainerImageCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);

        _ps.Run($"Remove-ContainerImage -Id {_id} -Force");
        Assert.Equal(["unrelated:1"], Names());
        string blobs = Path.Combine(_store.Location.ImagesDirectory, "blobs", "sha256");
        Assert.False(File.Exists(Path.Combine(blobs, _id[7..])));
        Assert.Equal([other.Layers()[0].ChainId[7..]], Directory.GetDirectories(_store.Location.LayersDirectory).Select(Path.GetFileName));
        Assert.Equal(3, Directory.GetFiles(blobs).Length); // the remaining image's manifest, config and layer
    }

    [Fact]
    public void WhatIfRemovesNothingAndDanglingImagesPipeToRemoveById()
    {
        string before = ImageFixtures.Snapshot(_store.Location.Root);
        _ps.Run("Get-ContainerImage | Remove-ContainerImage -WhatIf");
        Assert.Equal(before, ImageFixtures.Snapshot(_store.Location.Root));

        // Moving the only name to another image leaves this one dangling.
        string otherTarball = Path.Combine(_store.Scratch("other"), "other.tar");
        Tool.Run("tar", "-cf", otherTarball, "-C", _store.Scratch("empty"), ".");
        _ps.Run($"Import-ContainerImage '{otherTarball}' -Name busybox:latest");
        var dangling = _ps.Run("Get-ContainerImage -Dangling").Single();
        Assert.Equal(_id, dangling.Text("Id"));
        Assert.Contains("<none>", Render("Get-ContainerImage -Dangling"));

        _ps.Run("Get-ContainerImage -Dangling | Remove-ContainerImage");
        Assert.Empty(_ps.Run("Get-ContainerImage -Dangling"));
        Assert.Equal(["busybox:latest"], Names());
    }

    [Fact]
    public void OciExportRoundTripsThroughSkopeoWithTheSameDigests()
    {
        string scratch = _store.Scratch("export");
        var image = _ps.Run("Get-ContainerImage busybox").Single();
        var file = _ps.Run($"Get-ContainerImage busybox | Export-ContainerImage -Path '{scratch}/oci.tar'").Single();
        Assert.Equal($"{scratch}/oci.tar", file.Text("FullName"));
        // As Get-Item gives it, so pwsh's table shows its mode and size (a bare FileInfo showed them blank).
        Assert.Matches(@"-rw\S+\s+root\s+root\s.*\soci2\.tar", Render($"Export-ContainerImage busybox -Path '{scratch}/oci2.tar'"));

        Tool.Run("skopeo", "copy", $"oci-archive:{scratch}/oci.tar", $"oci:{scratch}/layout:copy");
        string index = File.ReadAllText($"{scratch}/layout/index.json");
        Assert.Contains(image.Text("ManifestDigest")!, index);
        Assert.True(File.Exists($"{scratch}/layout/blobs/sha256/{_id[7..]}"));
    }

    [Fact]
    public void DockerExportLoadsWithSkopeoAndKeepsTheImageId()
    {
        string scratch = _store.Scratch("export");
        _ps.Run($"Export-ContainerImage -Name busybox -Path '{scratch}/docker.tar' -Format Docker");
        Tool.Run("skopeo", "copy", $"docker-archive:{scratch}/docker.tar", $"dir:{scratch}/dir");
        string manifest = File.ReadAllText($"{scratch}/dir/manifest.json");
        Assert.Contains(_id, manifest);
        string manifestJson = Tool.Run("tar", "-xOf", $"{scratch}/docker.tar", "manifest.json");
        Assert.Contains("\"RepoTags\":[\"busybox:latest\"]", manifestJson);

        _ps.Run("Remove-ContainerImage busybox");
        var back = _ps.Run($"Import-ContainerImage '{scratch}/docker.tar'").Single();
        Assert.Equal(_id, back.Text("Id"));
        Assert.Equal("busybox:latest", back.Text("Name"));
    }

    [Fact]
    public void HistoryShowsTheImportStep()
    {
        var steps = _ps.Run("Get-ContainerImage busybox | Get-ContainerImageHistory");
        var step = Assert.Single(steps);
        Assert.Equal("Import-ContainerImage busybox.tar.gz", step.Text("CreatedBy"));
        Assert.Matches(@"^\w{12}\s+.*Import-ContainerImage busybox\.tar\.gz\s+\d\.\d+MB", Render("Get-ContainerImageHistory busybox").Split('\n').Select(l => l.Trim()).First(l => l.Contains("Import-", StringComparison.Ordinal)));
    }

    [Fact]
    public void ImageNamesCompleteOnTab()
    {
        _ps.Run("Add-ContainerImageTag busybox bustle:1, other:1");
        var completions = _ps.Run("(TabExpansion2 -inputScript 'Get-ContainerImage bus' -cursorColumn 22).CompletionMatches.CompletionText")
            .Select(o => o.ToString()).ToList();
        Assert.Equal(["bustle:1", "busybox:latest"], completions);
    }

    [Fact]
    public void ATagOrRemovalTidiesTheIndexTempAKilledWriterLeft()
    {
        // What a kill -9 between writing index.json's temp and renaming it leaves; before, only an import or pull took it.
        string images = _store.Location.ImagesDirectory;
        string live = Path.Combine(images, $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string liveStamped = Path.Combine(images, $".tmp-{Core.Containers.ProcessStamp.Current}-{Guid.NewGuid():N}");
        File.WriteAllText(live, "a write this live process is doing");
        File.WriteAllText(liveStamped, "a write this live process is doing");
        var self = Core.Containers.ProcessIdentity.Of(Environment.ProcessId)!;
        string reusedPid = Core.Containers.ProcessStamp.Of(self with { StartTime = self.StartTime - 1 });
        foreach (string script in new[] { "Add-ContainerImageTag busybox kept:1", "Remove-ContainerImage kept:1" })
        {
            // A killed writer's pid, ended or since given to another process (here this one).
            var leftovers = new[] { DeadPid().ToString(), reusedPid }.Select(owner => Path.Combine(images, $".tmp-{owner}-{Guid.NewGuid():N}")).ToList();
            foreach (string leftover in leftovers)
                File.WriteAllText(leftover, "{\"schemaVersion\":2,\"manif");
            _ps.Run(script);
            Assert.DoesNotContain(leftovers, File.Exists);
        }
        Assert.True(File.Exists(live) && File.Exists(liveStamped), "a live process's temp was taken");
        Assert.Equal(["busybox:latest"], Names());
    }

    /// <summary>The pid of a process that has ended.</summary>
    internal static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }
}
