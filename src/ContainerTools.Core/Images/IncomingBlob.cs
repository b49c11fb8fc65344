using System.Security.Cryptography;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Images;

/// <summary>
/// A blob being written into the store: bytes are appended to a temp file as they arrive, hashed and counted
/// against the declared size; <see cref="Commit"/> verifies, fsyncs and renames it into place. Disposed without
/// a commit, the temp goes and nothing was visible.
/// </summary>
public sealed class IncomingBlob : IDisposable
{
    private const long WritebackEvery = 8 << 20;

    private readonly BlobStore _store;
    private readonly string _temp;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly string? _expectedDigest;
    private readonly long? _expectedSize;
    private long _length;
    private long _writtenBack; // bytes whose disk write has been started
    private bool _writeback = true; // false once the file system refuses sync_file_range

    internal IncomingBlob(BlobStore store, string temp, string? expectedDigest, long? expectedSize)
    {
        _store = store;
        _temp = temp;
        _expectedDigest = expectedDigest;
        _expectedSize = expectedSize;
        _file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _length += bytes.Length;
        if (_expectedSize is long limit && _length > limit)
            throw new EngineException("BlobSizeMismatch", ErrorKind.InvalidData, _expectedDigest, $"Blob {_expectedDigest} is longer than its declared {limit} bytes.");
        _hash.AppendData(bytes);
        _file.Write(bytes);
        if (_writeback && _length - _writtenBack >= WritebackEvery)
            StartWriteback();
    }

    /// <summary>
    /// Starts the disk write of what arrived so far without waiting for it: the fsync in <see cref="Commit"/> then
    /// waits for the last few megabytes, not for the whole blob after its last byte arrived. Only a hint: a file
    /// system that refuses it gets the plain fsync.
    /// </summary>
    private void StartWriteback()
    {
        _file.Flush();
        if (Linux.sync_file_range((int)_file.SafeFileHandle.DangerousGetHandle(), _writtenBack, _length - _writtenBack, Linux.SYNC_FILE_RANGE_WRITE) == -1)
            _writeback = false;
        _writtenBack = _length;
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
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _store.Commit(_temp, digest);
        return digest;
    }

    public void Dispose()
    {
        _file.Dispose();
        _hash.Dispose();
        File.Delete(_temp); // gone already when committed
    }
}
