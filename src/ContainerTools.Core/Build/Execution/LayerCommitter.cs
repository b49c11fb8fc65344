using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Build.Execution;

/// <summary>
/// Makes a step's tar a layer of the store: the blob goes into the image layout (verified by digest) and is
/// unpacked once under its chain ID, so the next step's overlay can stack it like any pulled layer.
/// </summary>
public sealed class LayerCommitter(ImageStore images, string scratch)
{
    /// <summary>
    /// Writes a layer with <paramref name="write"/> (which returns how many entries it wrote) on top of
    /// <paramref name="parentChainId"/>; null when it wrote none (the step changed no file).
    /// </summary>
    public BuiltLayer? Commit(string? parentChainId, Func<Stream, int> write)
    {
        Directory.CreateDirectory(scratch);
        string file = Path.Combine(scratch, AtomicFile.TempName());
        try
        {
            using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
                if (write(output) == 0)
                    return null;
            string digest = images.Blobs.Adopt(file);
            try
            {
                return Adopted(parentChainId, digest);
            }
            catch
            {
                // A layer its own unpack refuses (an ADDed archive writing through one of its links) is no layer: its blob goes.
                images.DiscardUnreferenced([digest]);
                throw;
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A layer whose blob is in the store (a cache hit): unpacked again only if its directory went away.</summary>
    public BuiltLayer Adopted(string? parentChainId, string digest, string? diffId = null)
    {
        // Our layers are uncompressed tars: the blob digest is the diff ID.
        diffId ??= digest;
        string chainId = Digest.Chain(parentChainId, diffId);
        if (!images.Layers.Has(chainId))
        {
            using var blob = images.Blobs.OpenRead(digest);
            images.Layers.Commit(images.Layers.Stage(blob, digest), chainId);
        }
        return new BuiltLayer(digest, diffId, chainId, images.Blobs.Size(digest), MediaTypes.OciLayer);
    }
}
