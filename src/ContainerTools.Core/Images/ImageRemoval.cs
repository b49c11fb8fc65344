namespace ContainerTools.Core.Images;

/// <summary>What Remove did: the names it untagged and, if the image itself went, its id.</summary>
public sealed record ImageRemoval(IReadOnlyList<string> Untagged, string? DeletedId);
