using ContainerTools.Core.Store;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Store;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ReplacesContentWholeAndLeavesNoTempFile()
    {
        string dir = _store.Scratch("atomic");
        string file = Path.Combine(dir, "record.json");
        AtomicFile.WriteAllText(file, "{\"a\":1}");
        AtomicFile.WriteAllText(file, "{\"b\":2}");
        Assert.Equal("{\"b\":2}", File.ReadAllText(file));
        Assert.Equal(["record.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task FileLockExcludesAnotherHolderUntilReleased()
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
    public void NativeFailuresNameCallPathAndErrno()
    {
        var e = Assert.Throws<ContainerTools.Core.Native.NativeCallException>(
            () => AtomicFile.SyncDirectory(Path.Combine(_store.Path, "missing")));
        Assert.Equal("open", e.Call);
        Assert.Equal(ContainerTools.Core.Native.Errno.ENOENT, e.Errno);
        Assert.Contains("missing", e.Message);
    }
}
