using System.Management.Automation;
using ContainerTools.Tests.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Build;

/// <summary>
/// Build-ContainerImage gets its base images as docker build does: one the store lacks is pulled, and -Pull
/// refreshes one it has (docker build --pull). The bases come from a real registry and differ by /etc/marker.
/// </summary>
public sealed class BuildPullTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly LocalRegistry _registry;
    private readonly PowerShellSession _ps;
    private readonly string _context;

    public BuildPullTests()
    {
        _registry = LocalRegistry.Start(_store);
        _ps = new PowerShellSession(_store);
        _ps.Run("$null", new Dictionary<string, object?> { ["ContainerToolsAuthFile"] = Path.Combine(_store.Path, "auth.json") });
        _context = _store.Scratch("context");
    }

    public void Dispose()
    {
        _ps.Dispose();
        _registry.Dispose();
        _store.Dispose();
    }

    private PowerShellResult Build(string dockerfile, string arguments = "")
    {
        File.WriteAllText(Path.Combine(_context, "Dockerfile"), dockerfile);
        return _ps.Invoke($"Build-ContainerImage -Path '{_context}' -Tag built:1 {arguments}");
    }

    private string Copied() =>
        string.Join("\n", _ps.Run("Invoke-ContainerImage built:1 -Remove -Network none cat /copied"));

    [Fact]
    public void AMissingBaseIsPulledAndPullRefreshesAStoredOne()
    {
        string name = _registry.Publish("base/busybox:1", "one");
        string dockerfile = $"FROM {name}\nRUN cp /etc/marker /copied\n";

        Build(dockerfile).ThrowIfFailed("build with a missing base");
        Assert.Equal("one", Copied());

        _registry.Publish("base/busybox:1", "two");
        var cached = Build(dockerfile);
        cached.ThrowIfFailed("rebuild");
        Assert.DoesNotContain(cached.Progress, p => p.StatusDescription.StartsWith("pulling", StringComparison.Ordinal));
        Assert.Equal("one", Copied());

        var pulled = Build(dockerfile, "-Pull");
        pulled.ThrowIfFailed("build -Pull");
        Assert.Contains(pulled.Progress, p => p.StatusDescription == "pulling " + name);
        Assert.Equal("two", Copied());
    }

    [Fact]
    public void ACopyFromAnImageIsPulledToo()
    {
        string name = _registry.Publish("files/busybox:1", "from-copy");
        _ps.Run($"Import-ContainerImage -Path '{BusyboxImage.Tarball}' -Name busybox:latest | Out-Null");

        Build($"FROM busybox\nCOPY --from={name} /etc/marker /copied\n").ThrowIfFailed("build");
        Assert.Equal("from-copy", Copied());
    }

    [Fact]
    public void ABaseTheRegistryLacksIsAnErrorRecordThatNamesTheLineAndTagsNothing()
    {
        var before = TestImages.Snapshot(_store.Location);
        var result = Build($"# comment\nFROM {_registry.Address}/no/such:1\nRUN true\n");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("ManifestNotFound,ContainerTools.Cmdlets.BuildContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("line 2", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(_ps.Run("Get-ContainerImage"));
        Assert.Empty(_ps.Run("Get-Container"));
        Assert.Equal(before, TestImages.Snapshot(_store.Location));
    }
}
