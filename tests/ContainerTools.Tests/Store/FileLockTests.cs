using System.Diagnostics;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Store;

public sealed class FileLockTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task ExcludesAnotherHolderUntilReleased()
    {
        var first = FileLock.Acquire(_store.Location, "store");
        var acquired = new ManualResetEventSlim();
        var waiter = Task.Run(() =>
        {
            using var second = FileLock.Acquire(_store.Location, "store");
            acquired.Set();
        }, TestContext.Current.CancellationToken);
        Assert.False(acquired.Wait(300, TestContext.Current.CancellationToken));
        first.Dispose();
        Assert.True(acquired.Wait(5000, TestContext.Current.CancellationToken));
        await waiter;
    }

    [Fact]
    public void AReleasedLockIsFreeWhileAChildStillHasACopyOfItsDescriptor()
    {
        // A child forked while the lock was held (another thread's Process.Start) has a copy of its descriptor
        // until it execs; here one keeps it across its exec, so the window stays open for the test.
        var held = FileLock.Acquire(_store.Location, "store");
        Errno.Check(Linux.fcntl(held.Descriptor, Linux.F_SETFD, 0), "fcntl", "lock");
        using var child = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            held.Dispose();
            using var next = FileLock.TryAcquire(_store.Location, "store");
            Assert.NotNull(next);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [Fact]
    public async Task ADirectoryRenamedAwayWhileAWaiterWaitedGivesItNoLock()
    {
        // As a Remove deletes a container under its monitor lock while a monitor its killed starter left waits for it.
        string directory = _store.Scratch("guarded"), renamed = directory + ".removed";
        var held = FileLock.OnDirectory(directory, wait: true)!;
        var waiter = Task.Run(() => FileLock.OnDirectory(directory, wait: true), TestContext.Current.CancellationToken);
        // It has opened the directory and waits.
        Assert.NotSame(waiter, await Task.WhenAny(waiter, Task.Delay(300, TestContext.Current.CancellationToken)));
        Directory.Move(directory, renamed);
        held.Dispose();
        using var late = await waiter;
        Assert.Null(late);
    }
}
