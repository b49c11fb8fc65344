namespace ContainerTools.Core.Containers;

/// <summary>Where a container is in its life.</summary>
public enum ContainerStatus
{
    Created,
    Running,
    /// <summary>Running, with every process frozen (Suspend-Container).</summary>
    Paused,
    Exited,
}
