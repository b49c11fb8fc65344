using System.Text.Json;
using System.Text.Json.Serialization;
using ContainerTools.Core.Images;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Build.Cache;

/// <summary>
/// What a cached step produced: its layer blob and diff ID, or none (a config step, or one that changed
/// nothing), and when it first ran: the time its history entry keeps on every cache hit.
/// </summary>
public sealed record CachedStep
{
    [JsonPropertyName("layer")] public string? LayerDigest { get; init; }
    [JsonPropertyName("diffId")] public string? DiffId { get; init; }
    /// <summary>Null in entries written before times were kept: such a hit is saved again with one.</summary>
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; init; }
}

[JsonSerializable(typeof(CachedStep))]
internal sealed partial class BuildCacheJsonContext : JsonSerializerContext;

/// <summary>
/// The layer cache: build-cache/&lt;key&gt;.json under the store root, one small file per step result, written
/// atomically. An entry whose blob an image removal has since collected is a miss, not an error.
/// </summary>
public sealed class BuildCache(StoreLocation store)
{
    private string Directory => Path.Combine(store.Root, "build-cache");

    public CachedStep? Find(CacheKey key, BlobStore blobs)
    {
        string file = PathOf(key);
        if (!File.Exists(file))
            return null;
        CachedStep? step;
        try
        {
            step = JsonSerializer.Deserialize(File.ReadAllBytes(file), BuildCacheJsonContext.Default.CachedStep);
        }
        catch (JsonException)
        {
            return null; // a damaged entry is rebuilt and rewritten
        }
        return step is null || (step.LayerDigest is { } digest && !blobs.Has(digest)) ? null : step;
    }

    /// <summary>Deletes the temps of entries whose writer was killed (each build does, as it starts).</summary>
    public void RemoveStaleTemps() => StaleTemps.Remove(Directory);

    public void Save(CacheKey key, CachedStep step) =>
        AtomicFile.WriteAllBytes(PathOf(key), JsonSerializer.SerializeToUtf8Bytes(step, BuildCacheJsonContext.Default.CachedStep));

    private string PathOf(CacheKey key) => Path.Combine(Directory, Digest.Hex(key.Value) + ".json");
}
