using ContainerTools.Core;
using ContainerTools.Core.Images;
using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>
/// Blobs written with direct I/O in whole blocks (their tail padded, then the file cut back), or cached where the
/// file system refuses direct I/O, are stored byte for byte, or not at all.
/// </summary>
public sealed class IncomingBlobTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData((20 << 20) + 12345)] // many buffers and a tail that is not a whole block
    public void ABlobIsStoredByteForByte(int size)
    {
        byte[] bytes = Content(size);
        var blobs = new BlobStore(_store.Location.Root);

        string digest = blobs.Put(new MemoryStream(bytes), Digest.Of(bytes), bytes.Length);

        Assert.Equal(Digest.Of(bytes), digest);
        Assert.Equal(bytes, File.ReadAllBytes(blobs.PathOf(digest)));
    }

    [Fact]
    public void AFileSystemWithoutDirectIoGetsTheSameBlob()
    {
        string ramfs = _store.Scratch("ramfs"); // ramfs refuses O_DIRECT with EINVAL
        Errno.Check(Linux.mount("ramfs", ramfs, "ramfs", 0, null), "mount", ramfs);
        byte[] bytes = Content((3 << 20) + 777);
        var blobs = new BlobStore(ramfs);

        string digest = blobs.Put(new MemoryStream(bytes), Digest.Of(bytes), bytes.Length);

        Assert.Equal(bytes, File.ReadAllBytes(blobs.PathOf(digest)));
    }

    [Fact]
    public void AMismatchFoundAfterManyBuffersLeavesNoFile()
    {
        byte[] bytes = Content(20 << 20);
        var blobs = new BlobStore(_store.Location.Root);
        string wrong = Digest.Of([1, 2, 3]);

        var error = Assert.Throws<EngineException>(() => blobs.Put(new MemoryStream(bytes), wrong, bytes.Length));

        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(blobs.Directory));
    }

    private static byte[] Content(int size)
    {
        var bytes = new byte[size];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
