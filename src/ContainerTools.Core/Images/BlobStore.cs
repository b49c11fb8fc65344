namespace ContainerTools.Core.Images;

/// <summary>
/// Content-addressed blobs under images/blobs/sha256/&lt;hex&gt;. A blob appears under its name only when its
/// bytes are complete and verified: it is written to a temp file, hashed while streaming, fsynced and renamed.
/// </summary>
public sealed class BlobStore
{
    private readonly string _directory;

    public BlobStore(string imagesDirectory) => _directory = Path.Combine(imagesDirectory, "blobs", "sha256");

    public string Directory => _directory;

    public string PathOf(string digest) => Path.Combine(_directory, Digest.Hex(digest));

    public bool Has(string digest) => Digest.IsValid(digest) && File.Exists(PathOf(digest));

    public long Size(string digest) => new FileInfo(Existing(digest)).Length;

    public Stream OpenRead(string digest) =>
        new FileStream(Existing(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    public byte[] ReadAllBytes(string digest, int maxSize)
    {
        string path = Existing(digest);
        if (new FileInfo(path).Length > maxSize)
            throw new EngineException("DocumentTooLarge", ErrorKind.LimitsExceeded, digest, $"Blob {digest} is larger than {maxSize} bytes.");
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// Stores <paramref name="content"/>, verifying it against the expected digest and size while it streams;
    /// returns its digest. A blob already present is kept (same digest, same bytes).
    /// </summary>
    public string Put(Stream content, string? expectedDigest = null, long? expectedSize = null)
    {
        using var incoming = BeginPut(expectedDigest, expectedSize);
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
            incoming.Append(buffer.AsSpan(0, n));
        return incoming.Commit();
    }

    /// <summary>A blob to write as its bytes arrive (a download that is unpacked at the same time); dispose it.</summary>
    public IncomingBlob BeginPut(string? expectedDigest = null, long? expectedSize = null)
    {
        if (expectedDigest is not null)
            Digest.Hex(expectedDigest);
        if (expectedSize is < 0)
            throw new EngineException("InvalidBlobSize", ErrorKind.InvalidData, expectedDigest, $"Declared size {expectedSize} is negative.");
        System.IO.Directory.CreateDirectory(_directory);
        return new IncomingBlob(this, Path.Combine(_directory, Store.AtomicFile.TempName()), expectedDigest, expectedSize);
    }

    /// <summary>Moves a file of the same file system into the store after hashing it (import stages archives under the store's tmp/).</summary>
    public string Adopt(string file, string? expectedDigest = null, long? expectedSize = null) =>
        Adopt(file, out _, expectedDigest, expectedSize);

    /// <summary>Adopt, telling whether the blob is new to the store (<paramref name="added"/>) or was there already.</summary>
    public string Adopt(string file, out bool added, string? expectedDigest = null, long? expectedSize = null)
    {
        string digest;
        long length;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16))
        {
            digest = Digest.FromHash(System.Security.Cryptography.SHA256.HashData(stream));
            length = stream.Length;
            stream.Flush(flushToDisk: true);
        }
        Verify(digest, length, expectedDigest, expectedSize);
        System.IO.Directory.CreateDirectory(_directory);
        added = Commit(file, digest);
        return digest;
    }

    /// <summary>Deletes a blob (the image store does this only for blobs no image references, under its lock).</summary>
    internal void Delete(string digest) => File.Delete(PathOf(digest));

    internal IEnumerable<string> All() => System.IO.Directory.Exists(_directory)
        ? System.IO.Directory.EnumerateFiles(_directory).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Select(n => Digest.Sha256Prefix + n)
        : [];

    internal void RemoveStaleTemps() => StaleTemps.Remove(_directory);

    /// <summary>Renames a verified temp into place; false if the blob was there already (same digest, same bytes).</summary>
    internal bool Commit(string temp, string digest)
    {
        string target = PathOf(digest);
        if (File.Exists(target))
            return false; // the caller drops the temp
        File.Move(temp, target, overwrite: true);
        Store.AtomicFile.SyncDirectory(_directory);
        return true;
    }

    internal static void Verify(string digest, long length, string? expectedDigest, long? expectedSize)
    {
        if (expectedSize is long size && size != length)
            throw new EngineException("BlobSizeMismatch", ErrorKind.InvalidData, expectedDigest ?? digest,
                $"Blob {expectedDigest ?? digest} has {length} bytes, {size} were declared.");
        if (expectedDigest is not null && expectedDigest != digest)
            throw new EngineException("BlobDigestMismatch", ErrorKind.InvalidData, expectedDigest,
                $"Blob content does not match its digest {expectedDigest} (it hashes to {digest}).");
    }

    private string Existing(string digest)
    {
        string path = PathOf(digest);
        return File.Exists(path) ? path
            : throw new EngineException("BlobNotFound", ErrorKind.NotFound, digest, $"Blob {digest} is not in the store.");
    }
}
