using ContainerTools.Core;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Blobs larger than the writeback step (whose disk writes start while they arrive) are stored whole, or not at all.</summary>
public sealed class IncomingBlobTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ABlobOfManyWritebackStepsIsStoredByteForByte()
    {
        byte[] bytes = Content(20 << 20);
        var blobs = new BlobStore(_store.Location.Root);

        string digest = blobs.Put(new MemoryStream(bytes), Digest.Of(bytes), bytes.Length);

        Assert.Equal(Digest.Of(bytes), digest);
        Assert.Equal(bytes, File.ReadAllBytes(blobs.PathOf(digest)));
    }

    [Fact]
    public void AMismatchFoundAfterWritebackStartedLeavesNoFile()
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
