namespace ContainerTools.Core.Runtime;

/// <summary>A name in a directory of a container, and whether it is a directory itself (a symbolic link is not).</summary>
public sealed record ContainerDirectoryEntry(string Name, bool IsDirectory);
