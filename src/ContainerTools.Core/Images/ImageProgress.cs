namespace ContainerTools.Core.Images;

/// <summary>Progress of long image work (import, unpack, export): an activity, the item, and counts when known.</summary>
public sealed record ImageProgress(string Activity, string Item, int Done, int Total);
