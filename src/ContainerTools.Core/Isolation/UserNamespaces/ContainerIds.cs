namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>The host ids a container with a user namespace of its own was given (recorded in container.json; free again when it is removed).</summary>
public sealed record ContainerIds(IdRange Uids, IdRange Gids);
