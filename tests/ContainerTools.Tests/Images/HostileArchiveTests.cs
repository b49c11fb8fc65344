using System.Formats.Tar;
using System.Management.Automation;
using System.Text;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Archives;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Unusual and hostile image archives and layouts: read as skopeo reads them, or refused with the store as it was.</summary>
public sealed class HostileArchiveTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly string _scratch;

    public HostileArchiveTests() => _scratch = _store.Scratch("archives");

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ADockerSaveArchiveWhoseSharedLayerIsASymlinkOrAHardLinkImportsAsSkopeoReadsIt()
    {
        string archive = DockerArchive("dedup.tar", w =>
        {
            w.AddLink(TarEntryType.SymbolicLink, "bbb/layer.tar", "../aaa/layer.tar"); // as docker save writes a layer it saved already
            w.AddLink(TarEntryType.HardLink, "ccc/layer.tar", "bbb/layer.tar"); // and tar a second name of a file
        });
        string skopeoCopy = Path.Combine(_scratch, "skopeo");
        Tool.Run("skopeo", "copy", "-q", "docker-archive:" + archive, "oci:" + skopeoCopy + ":t");

        var image = ImageImporter.Import(_store.Location, archive, null).Single().Image;

        Assert.Equal(["docker.io/library/dedup:1"], image.Names);
        Assert.Equal(3, image.Layers.Count);
        var store = new ImageStore(_store.Location);
        Assert.All(image.Layers, layer => Assert.Equal("shared", File.ReadAllText(Path.Combine(store.LayerDirectory(layer.ChainId), "data"))));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(skopeoCopy, "blobs", "sha256")).Length); // skopeo too: one layer blob, config, manifest
    }

    [Theory]
    [InlineData("../../../../../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("../bbb/layer.tar")] // a link to itself: a loop
    public void ALinkThatLeadsOutsideTheArchiveOrNowhereIsAMissingEntry(string target)
    {
        string archive = DockerArchive("outside.tar", w => w.AddLink(TarEntryType.SymbolicLink, "bbb/layer.tar", target));
        using var ps = Busybox.Session(_store);
        string before = ImageFixtures.Snapshot(_store.Location.Root);

        var error = Assert.Single(ps.Invoke($"Import-ContainerImage -Path '{archive}'").AllErrors);

        Assert.StartsWith("ArchiveEntryMissing,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(archive, error.TargetObject);
        Assert.Contains("'bbb/layer.tar'", error.Exception.Message);
        Assert.Equal(before, ImageFixtures.Snapshot(_store.Location.Root));
    }

    [Theory]
    [InlineData("config", "\"rootfs\":", "\"rootfs_\":")] // missing
    [InlineData("config", "\"rootfs\":", "\"rootfs\":null,\"x\":")]
    [InlineData("config", "\"diff_ids\":", "\"diff_ids\":null,\"x\":")]
    [InlineData("index.json", "\"manifests\":", "\"manifests_\":")]
    [InlineData("index.json", "\"manifests\":", "\"manifests\":null,\"x\":")]
    [InlineData("index.json", "manifest.v1+json", "index.v1+json")] // a manifest said to be an index: it has no "manifests"
    public void ADocumentWithoutAMemberItsFormatRequiresIsInvalidData(string document, string from, string to)
    {
        string layer = ImageFixtures.Tar(Path.Combine(_scratch, "layer.tar"), w => w.AddFile("data", "x"));
        string layout = ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [layer],
            tamperConfig: config => document == "config" ? config.Replace(from, to) : config);
        string index = Path.Combine(layout, "index.json");
        if (document == "index.json")
            File.WriteAllText(index, File.ReadAllText(index).Replace(from, to));
        using var ps = Busybox.Session(_store);
        string before = ImageFixtures.Snapshot(_store.Location.Root);

        var error = Assert.Single(ps.Invoke($"Import-ContainerImage -Path '{layout}'").AllErrors);

        Assert.StartsWith("InvalidImageDocument,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.NotNull(error.TargetObject);
        Assert.Equal(before, ImageFixtures.Snapshot(_store.Location.Root));
    }

    /// <summary>
    /// A docker-archive of one image "dedup:1" whose layers are aaa/layer.tar, bbb/layer.tar and ccc/layer.tar, all
    /// the same layer; aaa/layer.tar is a file, <paramref name="links"/> writes the others.
    /// </summary>
    private string DockerArchive(string fileName, Action<TarWriter> links)
    {
        string layer = ImageFixtures.Tar(Path.Combine(_scratch, "layer.tar"), w => w.AddFile("data", "shared"));
        string diffId = ImageFixtures.Sha256(File.ReadAllBytes(layer));
        string config = $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{\"Cmd\":[\"/bin/sh\"]}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{diffId}\",\"{diffId}\",\"{diffId}\"]}}}}";
        string configName = ImageFixtures.Sha256(Encoding.UTF8.GetBytes(config))[7..] + ".json";
        return ImageFixtures.Tar(Path.Combine(_scratch, fileName), w =>
        {
            w.AddFile(configName, config);
            w.AddFile("manifest.json", $"[{{\"Config\":\"{configName}\",\"RepoTags\":[\"dedup:1\"],\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\",\"ccc/layer.tar\"]}}]");
            w.AddDirectory("aaa");
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "aaa/layer.tar") { DataStream = new MemoryStream(File.ReadAllBytes(layer)), Mode = (UnixFileMode)0x1a4 });
            w.AddDirectory("bbb");
            w.AddDirectory("ccc");
            links(w);
        });
    }
}
