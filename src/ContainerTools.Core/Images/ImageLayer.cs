namespace ContainerTools.Core.Images;

/// <summary>
/// One layer of an image. Digest and Size are the blob's (compressed) digest and size, DiffId the digest of
/// the uncompressed tar, ChainId names the unpacked directory layers/&lt;chainid&gt;/diff.
/// </summary>
public sealed record ImageLayer(string Digest, string DiffId, string ChainId, long Size, string MediaType);

/// <summary>One step of an image's history (Get-ContainerImageHistory), newest last as the config lists it.</summary>
public sealed record ImageHistoryItem(DateTimeOffset? Created, string CreatedBy, string? Comment, bool EmptyLayer, string? LayerDigest, long Size);
