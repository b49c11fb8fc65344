using ContainerTools.Core.Store;

namespace ContainerTools.Core.Containers;

/// <summary>
/// A container as read under its lock (<see cref="ContainerStore.FindLocked"/>): what it is once no other
/// transition can change it, until disposed.
/// </summary>
public sealed class LockedContainer(FileLock held, ContainerSnapshot container) : IDisposable
{
    public ContainerSnapshot Container { get; } = container;

    public void Dispose() => held.Dispose();
}
