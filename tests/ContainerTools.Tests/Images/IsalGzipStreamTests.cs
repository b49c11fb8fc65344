using System.IO.Compression;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>The ISA-L inflater against .NET's GZipStream on the same bytes: the layer path must not depend on which one is installed.</summary>
public sealed class IsalGzipStreamTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void TheSetUpInstallsIsaL() => Assert.True(IsalGzipStream.IsAvailable, "libisal2 is missing: layers are inflated by the slower .NET fallback");

    [Theory]
    [InlineData(1 << 16)]
    [InlineData(1000)]
    [InlineData(1)]
    public void ABusyboxLayerInflatesToTheSameBytesAsGZipStream(int pieceSize)
    {
        byte[] blob = File.ReadAllBytes(Busybox.CreateRootfsTarball(_store.Scratch("busybox")));

        byte[] expected = Inflate(new GZipStream(new MemoryStream(blob), CompressionMode.Decompress), 1 << 16);
        byte[] actual = Inflate(new IsalGzipStream(new PieceStream(blob, pieceSize)), pieceSize == 1 ? 4096 : pieceSize);

        Assert.Equal(Digest.Of(expected), Digest.Of(actual));
        Assert.Equal(expected.Length, actual.Length);
    }

    [Fact]
    public void ConcatenatedMembersAreOneStreamAndBytesAfterTheLastAreLeftAsGZipStreamLeavesThem()
    {
        byte[] blob = [.. Gzip("first member\n"u8.ToArray()), .. Gzip(new byte[300_000]), .. Gzip("third\n"u8.ToArray()), 0, 0, 0, 0];

        byte[] expected = Inflate(new GZipStream(new MemoryStream(blob), CompressionMode.Decompress), 1 << 16);
        byte[] actual = Inflate(new IsalGzipStream(new PieceStream(blob, 7)), 1 << 16);

        Assert.Equal(13 + 300_000 + 6, actual.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void AStagedLayerHasTheSameDiffIdWhicheverInflaterRan()
    {
        byte[] blob = File.ReadAllBytes(Busybox.CreateRootfsTarball(_store.Scratch("busybox")));
        string diffId = Digest.Of(Inflate(new GZipStream(new MemoryStream(blob), CompressionMode.Decompress), 1 << 16));
        var layers = new LayerStore(_store.Location.LayersDirectory);

        var staged = layers.Stage(new PieceStream(blob, 1 << 16), "sha256:busybox");

        Assert.Equal((diffId, LayerCompression.Gzip), (staged.DiffId, staged.Compression));
        Assert.True(File.Exists(Path.Combine(staged.Directory, "diff", "bin", "busybox")));
        layers.Discard(staged);
    }

    [Fact]
    public void ACorruptMemberIsInvalidData()
    {
        byte[] blob = Gzip(Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31 % 253)).ToArray());
        blob[blob.Length - 6] ^= 0xff; // the CRC in the trailer

        Assert.Throws<InvalidDataException>(() => Inflate(new IsalGzipStream(new MemoryStream(blob)), 1 << 16));
    }

    [Fact]
    public void ATruncatedStreamIsInvalidData()
    {
        byte[] blob = Gzip(Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31 % 253)).ToArray());

        Assert.Throws<InvalidDataException>(() => Inflate(new IsalGzipStream(new MemoryStream(blob[..(blob.Length / 2)])), 1 << 16));
    }

    private static byte[] Inflate(Stream stream, int bufferSize)
    {
        using (stream)
        {
            var output = new MemoryStream();
            stream.CopyTo(output, bufferSize);
            return output.ToArray();
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Serves its bytes at most <c>pieceSize</c> at a time, as a network stream may.</summary>
    private sealed class PieceStream(byte[] bytes, int pieceSize) : ReadOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, pieceSize), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
