using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Module;

public sealed class StoreLocationTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public StoreLocationTests() => _ps = new PowerShellSession(_store);

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void SessionRootMadeByACmdletIsTheStoreUsed()
    {
        // Join-Path's output arrives wrapped in a PSObject: it must still select the store.
        string alternative = Path.Combine(_store.Path, "alternative");
        _ps.Run($"$ContainerToolsRoot = Join-Path '{_store.Path}' 'alternative'; " +
                $"Import-ContainerImage -Path '{Path.Combine(Repository.ModuleDirectory, "images", "busybox.tar.gz")}' -Name busybox:stored");
        Assert.True(File.Exists(Path.Combine(alternative, "images", "index.json")));
        Assert.Contains("busybox", File.ReadAllText(Path.Combine(alternative, "images", "index.json")));
    }
}
