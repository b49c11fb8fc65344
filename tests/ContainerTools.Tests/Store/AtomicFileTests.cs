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
    public void NativeFailuresNameCallPathAndErrno()
    {
        var e = Assert.Throws<ContainerTools.Core.Native.NativeCallException>(
            () => AtomicFile.SyncDirectory(Path.Combine(_store.Path, "missing")));
        Assert.Equal("open", e.Call);
        Assert.Equal(ContainerTools.Core.Native.Errno.ENOENT, e.Errno);
        Assert.Contains("missing", e.Message);
    }
}
