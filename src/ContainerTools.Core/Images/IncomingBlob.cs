using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Images;

/// <summary>
/// A blob being written into the store: bytes are appended to a temp file as they arrive, hashed and counted
/// against the declared size; <see cref="Commit"/> verifies, fsyncs and renames it into place. Disposed without
/// a commit, the temp goes and nothing was visible.
/// The file is written with direct I/O (O_DIRECT) from an aligned buffer where the file system allows it: a blob
/// is kept for pushes and exports, not read back soon, so copying it into the page cache (and writing the cached
/// pages back later) is work a pull need not do; the fsync then has only the file's metadata left to write. A file
/// system without direct I/O (ramfs) gets the same writes, cached.
/// </summary>
public sealed unsafe class IncomingBlob : IDisposable
{
    private const int BufferSize = 1 << 20;
    private const int Alignment = 4096; // covers every logical block size O_DIRECT may require

    private readonly BlobStore _store;
    private readonly string _temp;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly string? _expectedDigest;
    private readonly long? _expectedSize;
    private readonly byte* _buffer;
    private int _fd;
    private int _buffered;
    private long _length;
    private bool _disposed;

    internal IncomingBlob(BlobStore store, string temp, string? expectedDigest, long? expectedSize)
    {
        _store = store;
        _temp = temp;
        _expectedDigest = expectedDigest;
        _expectedSize = expectedSize;
        _fd = Errno.Check(Linux.openat(Linux.AT_FDCWD, temp, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_CLOEXEC, 0x1b6), "openat", temp);
        // Direct I/O where the file system has it (F_SETFL refuses it with EINVAL elsewhere, and the same writes go cached).
        Linux.fcntl(_fd, Linux.F_SETFL, Errno.Check(Linux.fcntl(_fd, Linux.F_GETFL, 0), "fcntl(F_GETFL)", temp) | Linux.O_DIRECT);
        _buffer = (byte*)NativeMemory.AlignedAlloc(BufferSize, Alignment);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _length += bytes.Length;
        if (_expectedSize is long limit && _length > limit)
            throw new EngineException("BlobSizeMismatch", ErrorKind.InvalidData, _expectedDigest, $"Blob {_expectedDigest} is longer than its declared {limit} bytes.");
        _hash.AppendData(bytes);
        while (!bytes.IsEmpty)
        {
            int n = Math.Min(bytes.Length, BufferSize - _buffered);
            bytes[..n].CopyTo(new Span<byte>(_buffer + _buffered, n));
            _buffered += n;
            bytes = bytes[n..];
            if (_buffered == BufferSize)
                WriteBuffer(BufferSize);
        }
    }

    /// <summary>Throws if what arrived so far is not the declared blob (wrong size or digest).</summary>
    public string Verify()
    {
        string digest = Digest.FromHash(_hash.GetCurrentHash());
        BlobStore.Verify(digest, _length, _expectedDigest, _expectedSize);
        return digest;
    }

    /// <summary>Verifies the complete blob and makes it visible under its digest; returns the digest.</summary>
    public string Commit()
    {
        string digest = Verify();
        if (_buffered > 0)
        {
            // Direct I/O writes whole blocks: the tail goes out padded with zeros, and the file is cut back to its length.
            int padded = (_buffered + Alignment - 1) / Alignment * Alignment;
            new Span<byte>(_buffer + _buffered, padded - _buffered).Clear();
            WriteBuffer(padded);
            Errno.Check(Linux.ftruncate(_fd, _length), "ftruncate", _temp);
        }
        Errno.Check(Linux.fsync(_fd), "fsync", _temp);
        CloseFile();
        _store.Commit(_temp, digest);
        return digest;
    }

    private void WriteBuffer(int count)
    {
        Linux.WriteAll(_fd, new ReadOnlySpan<byte>(_buffer, count), _temp);
        _buffered = 0;
    }

    private void CloseFile()
    {
        if (_fd >= 0)
            Linux.close(_fd);
        _fd = -1;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        CloseFile();
        NativeMemory.AlignedFree(_buffer);
        _hash.Dispose();
        File.Delete(_temp); // gone already when committed
    }
}
