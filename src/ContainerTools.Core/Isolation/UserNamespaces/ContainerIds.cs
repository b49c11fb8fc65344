namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>The host ids a container with a user namespace of its own was given (recorded in container.json; free again when it is removed).</summary>
public sealed record ContainerIds(IdRange Uids, IdRange Gids)
{
    /// <summary>
    /// A stored uid as the container's processes see it: a host id of its slice is its own id; any other is taken
    /// as the container's already (the image's layers, read without the id mapping its start puts on them, as a
    /// stopped container's overlay reads them).
    /// </summary>
    public uint UidInside(uint storedUid) => Inside(Uids, storedUid);

    public uint GidInside(uint storedGid) => Inside(Gids, storedGid);

    private static uint Inside(IdRange slice, uint id) =>
        id >= slice.Start && id < slice.End ? (uint)(id - slice.Start) : id;
}
