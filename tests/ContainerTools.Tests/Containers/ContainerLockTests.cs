using ContainerTools.Core;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>
/// A container's lock and attach lock live in its directory: whoever comes to a container that was deleted after
/// they found it (a monitor, a Start, a Wait finishing an auto-remove) finds it gone and makes no file for it.
/// </summary>
public sealed class ContainerLockTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly ContainerRunner _run;

    public ContainerLockTests() => _run = new ContainerRunner(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ALockerThatComesAfterTheRemovalFindsItGoneAndLeavesNoFile()
    {
        var container = _run.Create(new ContainerOptions { Command = ["true"] });
        var paths = _run.Containers.Paths(container.Id);
        _run.Lifecycle.Remove(container.Id, force: false);

        Assert.Null(_run.Containers.Lock(container.Id));
        Assert.Null(_run.Containers.Lock(container.Id, wait: false));
        Assert.Null(ContainerAttachment.To(paths));
        Assert.False(ContainerAttachment.NoneOn(paths));
        Assert.Empty(_store.FilesNamedFor(container.Id));
    }

    [Fact]
    public async Task ALockerWaitingThroughTheRemovalGetsNotFoundAndLeavesNoFile()
    {
        var container = _run.Create(new ContainerOptions { Command = ["true"] });
        Task<EngineException> start;
        using (var held = _run.Containers.FindLocked(container.Id))
        {
            start = Task.Run(() => Assert.Throws<EngineException>(() => _run.Lifecycle.Start(container.Id)), TestContext.Current.CancellationToken);
            // The Start has found the container and waits for its lock.
            await Task.Delay(300, TestContext.Current.CancellationToken);
            Assert.False(start.IsCompleted);
            _run.Containers.DeleteFiles(container.Id);
        }
        var error = await start;
        Assert.Equal("ContainerNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Empty(_store.FilesNamedFor(container.Id));
    }

    [Fact]
    public void ALockIsHeldAgainstOthersUntilDisposed()
    {
        var container = _run.Create(new ContainerOptions { Command = ["true"] });
        using (_run.Containers.FindLocked(container.Id))
            Assert.Null(_run.Containers.Lock(container.Id, wait: false));
        using var free = _run.Containers.Lock(container.Id, wait: false);
        Assert.NotNull(free);
    }
}
