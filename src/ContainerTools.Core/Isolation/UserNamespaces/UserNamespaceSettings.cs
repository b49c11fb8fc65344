using System.Text.Json;
using System.Text.Json.Serialization;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// Where a store takes the ids of -UserNamespace Auto from (userns.json in the store's root, optional):
/// the subordinate id files and the owner whose entries are ours, by default Podman's user "containers".
/// </summary>
public sealed record UserNamespaceSettings
{
    public const string FileName = "userns.json";

    public string Owner { get; init; } = "containers";
    public string SubuidFile { get; init; } = "/etc/subuid";
    public string SubgidFile { get; init; } = "/etc/subgid";

    public static UserNamespaceSettings Load(StoreLocation store)
    {
        string path = Path.Combine(store.Root, FileName);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), UserNamespacesJsonContext.Default.UserNamespaceSettings)
                ?? throw new EngineException("InvalidUserNamespaceSettings", ErrorKind.InvalidData, path, $"{path} holds no settings");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new UserNamespaceSettings();
        }
        catch (JsonException e)
        {
            throw new EngineException("InvalidUserNamespaceSettings", ErrorKind.InvalidData, path, $"{path} is not valid: {e.Message}");
        }
    }

    /// <summary>
    /// The ranges delegated to the owner, checked to hold a container's ids: done before anything is created,
    /// so a missing or too small entry refuses the container with the store unchanged.
    /// </summary>
    public (IReadOnlyList<IdRange> Uids, IReadOnlyList<IdRange> Gids) Delegated()
    {
        var uids = SubordinateIdFile.RangesOf(SubuidFile, Owner);
        var gids = SubordinateIdFile.RangesOf(SubgidFile, Owner);
        IdRangeAllocator.Allocate(uids, [], IdRangeAllocator.DefaultSize, SubuidFile);
        IdRangeAllocator.Allocate(gids, [], IdRangeAllocator.DefaultSize, SubgidFile);
        return (uids, gids);
    }

    /// <summary>A container's slices, disjoint from <paramref name="inUse"/> (the caller holds the store's names lock).</summary>
    public ContainerIds Allocate((IReadOnlyList<IdRange> Uids, IReadOnlyList<IdRange> Gids) delegated, IReadOnlyList<ContainerIds> inUse) => new(
        IdRangeAllocator.Allocate(delegated.Uids, inUse.Select(c => c.Uids), IdRangeAllocator.DefaultSize, SubuidFile),
        IdRangeAllocator.Allocate(delegated.Gids, inUse.Select(c => c.Gids), IdRangeAllocator.DefaultSize, SubgidFile));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UserNamespaceSettings))]
internal sealed partial class UserNamespacesJsonContext : JsonSerializerContext;
