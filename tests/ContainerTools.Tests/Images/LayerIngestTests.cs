using System.IO.Compression;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>A layer stored and unpacked in one pass over bytes that cannot be re-read (a download), as a pull does.</summary>
public sealed class LayerIngestTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    [InlineData(LayerCompression.None)]
    public void OnePassStoresTheVerifiedBlobAndUnpacksTheSameTreeAsTheBlobFile(LayerCompression compression)
    {
        byte[] tar = Tar();
        byte[] blob = compression switch
        {
            LayerCompression.Gzip => Compress(tar, s => new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true)),
            LayerCompression.Zstd => Compress(tar, s => new ZstdSharp.CompressionStream(s, leaveOpen: true)),
            _ => tar,
        };
        var images = new ImageStore(_store.Location);
        var layer = new Descriptor { MediaType = LayerCompressions.OciMediaType(compression), Digest = Digest.Of(blob), Size = blob.Length };

        var streamed = images.PutAndStageLayer(new MemoryStream(blob), layer);
        using var file = images.Blobs.OpenRead(layer.Digest);
        var fromFile = images.Layers.Stage(file, layer.Digest);

        Assert.Equal((Digest.Of(tar), compression), (streamed.DiffId, streamed.Compression));
        Assert.Equal(fromFile.DiffId, streamed.DiffId);
        Assert.Equal(FileTree.Describe(Path.Combine(fromFile.Directory, "diff")), FileTree.Describe(Path.Combine(streamed.Directory, "diff")));
        images.Layers.Discard(streamed);
        images.Layers.Discard(fromFile);
    }

    [Fact]
    public void TheLayersDirectoryIsAnExt4TopDirectorySoEachLayerGetsInodesOfItsOwn()
    {
        var images = new ImageStore(_store.Location);
        byte[] blob = File.ReadAllBytes(Busybox.CreateRootfsTarball(_store.Scratch("busybox")));
        var layer = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Of(blob), Size = blob.Length };

        images.Layers.Discard(images.PutAndStageLayer(new MemoryStream(blob), layer));

        string attributes = Tool.Run("lsattr", "-d", images.Layers.Directory).Split(' ')[0];
        Assert.Contains('T', attributes);
    }

    /// <summary>A small tree: directories, a file big enough to span several read-ahead chunks, a symlink.</summary>
    private byte[] Tar()
    {
        string root = _store.Scratch("tree");
        Directory.CreateDirectory(Path.Combine(root, "etc", "deep"));
        File.WriteAllText(Path.Combine(root, "etc", "deep", "small"), "small\n");
        File.WriteAllBytes(Path.Combine(root, "big"), Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 7 % 251)).ToArray());
        File.CreateSymbolicLink(Path.Combine(root, "link"), "etc/deep/small");
        using var tar = new MemoryStream();
        System.Formats.Tar.TarFile.CreateFromDirectory(root, tar, includeBaseDirectory: false);
        return tar.ToArray();
    }

    private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
            stream.Write(data);
        return output.ToArray();
    }
}
