using System.IO.Compression;
using ContainerTools.Core.Images;
using ContainerTools.Core.Native;

namespace ContainerTools.Tests.Images;

/// <summary>ISA-L's gzip decoding reads what GZipStream reads, and refuses what is damaged where GZipStream would hand out less.</summary>
public sealed class IsalGzipStreamTests
{
    private static readonly byte[] Text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"line {i % 977}\n")));
    private static readonly byte[] Noise = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 2654435761u >> 13)).ToArray();

    [Fact]
    public void TheLibraryIsInstalledHereAndItsStructIsTheOneWeKnow()
    {
        Assert.True(Isal.Available, "libisal2 is one of build.sh's packages");
        Assert.True(IsalGzipStream.Usable);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4093)]
    [InlineData(1 << 20)]
    public void OneMemberDecodesAsGZipStreamDoesAtAnyReadSize(int readSize)
    {
        byte[] gzip = Gzip(Text);

        Assert.Equal(Text, ReadAll(new IsalGzipStream(new MemoryStream(gzip)), readSize));
        Assert.Equal(ReadAll(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress), readSize), ReadAll(new IsalGzipStream(new MemoryStream(gzip)), readSize));
    }

    [Fact]
    public void MembersOneAfterTheOtherAreOneStreamEvenWhenAMemberEndsAcrossAnInputRead()
    {
        // pigz and `cat a.gz b.gz` make several members; read 7 bytes at a time, headers and trailers end across reads.
        byte[] gzip = [.. Gzip(Text), .. Gzip(Noise), .. Gzip([]), .. Gzip(Text)];

        Assert.Equal([.. Text, .. Noise, .. Text], ReadAll(new IsalGzipStream(new SlowStream(gzip, 7)), 65536));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'g', (byte)'a', (byte)'r', (byte)'b' })]
    [InlineData(new byte[] { 0x1f })]
    public void WhatFollowsTheLastMemberWithoutAGzipMagicIsIgnored(byte[] trailer)
    {
        byte[] gzip = [.. Gzip(Text), .. trailer];

        Assert.Equal(ReadAll(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress), 4096), ReadAll(new IsalGzipStream(new MemoryStream(gzip)), 4096));
    }

    [Theory]
    [InlineData("crc")]
    [InlineData("length")]
    [InlineData("data")]
    [InlineData("truncated")]
    [InlineData("next member")]
    public void DamagedDataIsInvalidData(string damage)
    {
        byte[] gzip = Gzip(Noise);
        switch (damage)
        {
            case "crc": gzip[^8] ^= 1; break;
            case "length": gzip[^1] ^= 1; break;
            case "data": gzip[gzip.Length / 2] ^= 0x55; break;
            case "truncated": gzip = gzip[..(gzip.Length / 2)]; break;
            default: gzip = [.. gzip, 0x1f, 0x8b, 9, 9, 9]; break;
        }

        Assert.Throws<InvalidDataException>(() => ReadAll(new IsalGzipStream(new MemoryStream(gzip)), 65536));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    private static byte[] ReadAll(Stream stream, int readSize)
    {
        using (stream)
        {
            var output = new MemoryStream();
            byte[] buffer = new byte[readSize];
            int n;
            while ((n = stream.Read(buffer)) > 0)
                output.Write(buffer, 0, n);
            return output.ToArray();
        }
    }

    /// <summary>Hands out at most <c>chunk</c> bytes a read, as a network stream may.</summary>
    private sealed class SlowStream(byte[] data, int chunk) : ReadOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
