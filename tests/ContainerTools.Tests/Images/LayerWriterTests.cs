using System.Formats.Tar;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Archives;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Layers made from directories (what builds and commits need): the inverse of unpacking, whiteouts included.</summary>
public sealed class LayerWriterTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void AnUnpackedLayerWrittenAgainUnpacksToTheSameTreeWithTheSameDiffId()
    {
        string scratch = _store.Scratch("craft");
        string lower = ImageFixtures.Tar(Path.Combine(scratch, "lower.tar"), w => w.AddFile("base", "base"));
        string upper = ImageFixtures.Tar(Path.Combine(scratch, "upper.tar"), w =>
        {
            w.AddDirectory("opaque");
            w.AddFile("opaque/.wh..wh..opq", "");
            w.AddFile("opaque/new", "new", mode: 0x1c0, uid: 7, gid: 8);
            w.AddFile(".wh.base", "");
            w.AddFile("bin/tool", "tool", mode: 0x9ed); // 04755
            w.AddLink(TarEntryType.HardLink, "bin/again", "bin/tool");
            w.AddLink(TarEntryType.SymbolicLink, "bin/sh", "/bin/busybox");
            w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/tty") { DeviceMajor = 5, DeviceMinor = 0, Mode = (UnixFileMode)0x1b6 });
        });
        var image = ImageImporter.Import(_store.Location, ImageFixtures.OciLayout(Path.Combine(scratch, "layout"), [lower, upper]), null).Single().Image;
        var store = new ImageStore(_store.Location);
        string original = store.LayerDirectory(image.Layers[1].ChainId);

        var written = LayerWriter.WriteToStore(store.Blobs, original, _store.Location.TempDirectory);
        var again = LayerWriter.WriteToStore(store.Blobs, original, _store.Location.TempDirectory);

        Assert.Equal(written.DiffId, again.DiffId);
        Assert.True(store.Blobs.Has(written.Digest));
        Assert.Equal(written.Size, store.Blobs.Size(written.Digest));
        string copy = _store.Scratch("copy");
        using (var blob = store.Blobs.OpenRead(written.Digest))
        using (var tar = LayerCompressions.Decompress(blob, LayerCompressions.Detect(blob)))
            LayerUnpacker.Unpack(tar, copy, "rewritten");
        Assert.Equal(FileTree.Describe(original), FileTree.Describe(copy));
        Assert.Equal("y", FileTree.Xattr(Path.Combine(copy, "opaque"), "trusted.overlay.opaque"));
        Assert.Equal(FileTree.Stat(Path.Combine(original, "bin", "tool")).Split('|')[1], FileTree.Stat(Path.Combine(copy, "bin", "tool")).Split('|')[1]);
    }

    [Fact]
    public void CreateRegistersAnImageFromAParentAndANewLayer()
    {
        var store = new ImageStore(_store.Location);
        var parent = ImageImporter.Import(_store.Location, Busybox.CreateRootfsTarball(_store.Scratch("in")), ImageReference.Parse("base:1")).Single().Image;
        string change = _store.Scratch("change");
        Directory.CreateDirectory(Path.Combine(change, "app"));
        File.WriteAllText(Path.Combine(change, "app", "hello.txt"), "hello\n");
        var layer = LayerWriter.WriteToStore(store.Blobs, change, _store.Location.TempDirectory);
        var (manifest, config) = store.ReadDocuments(parent.ManifestDigest);

        var child = store.Create(
            config with
            {
                RootFs = new RootFs { DiffIds = [.. config.RootFs.DiffIds, layer.DiffId] },
                Config = config.Config! with { Cmd = ["/bin/cat", "/app/hello.txt"] },
                History = [.. config.History ?? [], new HistoryEntry { CreatedBy = "COPY hello.txt /app/" }],
            },
            [.. manifest.Layers!, new Descriptor { MediaType = layer.MediaType, Digest = layer.Digest, Size = layer.Size }],
            [ImageReference.Parse("child:1")]);

        Assert.Equal(2, child.Layers.Count);
        Assert.Equal(parent.Layers[0].ChainId, child.Layers[0].ChainId);
        Assert.Equal(["/bin/cat", "/app/hello.txt"], child.Config.Cmd);
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(store.LayerDirectory(child.Layers[1].ChainId), "app", "hello.txt")));
        Assert.Equal("COPY hello.txt /app/", child.History[^1].CreatedBy);
    }
}
