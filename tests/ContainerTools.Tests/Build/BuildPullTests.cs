using System.Management.Automation;
using ContainerTools.Tests.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Build;

/// <summary>
/// Build-ContainerImage gets its base images as docker build does: one the store lacks is pulled, and -Pull
/// refreshes one it has (docker build --pull). The bases come from a real registry and differ by /etc/marker.
/// </summary>
public sealed class BuildPullTests : RegistrySessionTest
{
    private readonly string _context;

    public BuildPullTests()
    {
        _context = Store.Scratch("context");
    }

    private PowerShellResult Build(string dockerfile, string arguments = "")
    {
        File.WriteAllText(Path.Combine(_context, "Dockerfile"), dockerfile);
        return Ps.Invoke($"Build-ContainerImage -Path '{_context}' -Tag built:1 {arguments}");
    }

    private string Copied() =>
        string.Join("\n", Ps.Run("Invoke-ContainerImage built:1 -Remove -Network none cat /copied"));

    [Fact]
    public void AMissingBaseIsPulledAndPullRefreshesAStoredOne()
    {
        var registry = Serve(LocalRegistry.Start(Store));
        string name = registry.Publish("base/busybox:1", "one");
        string dockerfile = $"FROM {name}\nRUN cp /etc/marker /copied\n";

        Build(dockerfile).ThrowIfFailed("build with a missing base");
        Assert.Equal("one", Copied());

        registry.Publish("base/busybox:1", "two");
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
        string name = Serve(LocalRegistry.Start(Store)).Publish("files/busybox:1", "from-copy");
        Ps.Run($"Import-ContainerImage -Path '{BusyboxImage.Tarball}' -Name busybox:latest | Out-Null");

        Build($"FROM busybox\nCOPY --from={name} /etc/marker /copied\n").ThrowIfFailed("build");
        Assert.Equal("from-copy", Copied());
    }

    [Fact]
    public void ABaseTheRegistryLacksIsAnErrorRecordThatNamesTheLineAndTagsNothing()
    {
        var registry = Serve(LocalRegistry.Start(Store));
        var before = TestImages.Snapshot(Store.Location);
        var result = Build($"# comment\nFROM {registry.Address}/no/such:1\nRUN true\n");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("ManifestNotFound,ContainerTools.Cmdlets.BuildContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("line 2", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(Ps.Run("Get-ContainerImage"));
        Assert.Empty(Ps.Run("Get-Container"));
        Assert.Equal(before, TestImages.Snapshot(Store.Location));
    }
}
