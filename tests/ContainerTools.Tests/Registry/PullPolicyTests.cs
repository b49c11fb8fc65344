using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// New-Container and Invoke-ContainerImage get a missing image from a real registry as `docker run` does
/// (-Pull Missing|Always|Never), with the registry parameters of Request-ContainerImage. The images differ
/// by /etc/marker, so what a container prints tells which one it was made from.
/// </summary>
public sealed class PullPolicyTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;
    private readonly List<IDisposable> _owned = [];

    public PullPolicyTests()
    {
        _ps = new PowerShellSession(_store);
        _ps.Run("$null", new Dictionary<string, object?>
        {
            ["ContainerToolsAuthFile"] = Path.Combine(_store.Path, "auth", "auth.json"),
            ["credential"] = new PSCredential(LocalRegistry.User, new System.Net.NetworkCredential("", LocalRegistry.Password).SecurePassword),
        });
    }

    public void Dispose()
    {
        _ps.Dispose();
        foreach (var owned in Enumerable.Reverse(_owned))
            owned.Dispose();
        _store.Dispose();
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private string Marker(string name, string pull, string parameters = "") =>
        string.Join("\n", _ps.Run($"Invoke-ContainerImage {name} -Pull {pull} -Network none -Remove {parameters} cat /etc/marker"));

    [Fact]
    public void NewAndInvokePullMissingImagesAndAlwaysRefreshes()
    {
        var registry = Own(LocalRegistry.Start(_store));
        string name = registry.Publish("policy/busybox:1", "one");

        var created = _ps.Run($"New-Container {name} -Name first true").Single();
        Assert.Equal(name, created.Properties["Image"].Value);
        Assert.NotNull(new ImageStore(_store.Location).TryResolve(name));

        registry.Publish("policy/busybox:1", "two");
        Assert.Equal("one", Marker(name, "Missing"));
        Assert.Equal("one", Marker(name, "Never"));
        Assert.Equal("two", Marker(name, "Always"));
        Assert.Equal("two", Marker(name, "Missing"));
    }

    [Fact]
    public void PullNeverWithAMissingImageIsAnErrorRecordThatCreatesNothing()
    {
        var registry = Own(LocalRegistry.Start(_store));
        string name = registry.Publish("policy/busybox:1", "one");
        var before = TestImages.Snapshot(_store.Location);

        foreach (string script in new[] { $"New-Container {name} -Pull Never true", $"Invoke-ContainerImage {name} -Pull Never true" })
        {
            var error = Assert.Single(_ps.Invoke(script).AllErrors);
            Assert.StartsWith("ImageNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(name, error.TargetObject);
        }
        Assert.Empty(_ps.Run("Get-Container"));
        Assert.Empty(_ps.Run("Get-ContainerImage"));
        Assert.Equal(before, TestImages.Snapshot(_store.Location));
    }

    [Fact]
    public void PullsFromAnHtpasswdRegistryWithCredentialOrAuthFile()
    {
        var registry = Own(LocalRegistry.Start(_store, tls: true, auth: RegistryAuth.Htpasswd));
        string name = registry.Publish("secure/busybox:1", "secret");

        var refused = _ps.Invoke($"New-Container {name} -SkipCertificateCheck true");
        Assert.StartsWith("RegistryAuthenticationRequired,", Assert.Single(refused.AllErrors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(_ps.Run("Get-Container"));

        Assert.Equal("secret", Marker(name, "Missing", "-SkipCertificateCheck -Credential $credential"));

        string authFile = Path.Combine(_store.Scratch("login"), "auth.json");
        _ps.Run($"Connect-ContainerRegistry {registry.Address} -Credential $credential -SkipCertificateCheck -AuthFile '{authFile}'");
        _ps.Run($"Remove-ContainerImage {name}");
        _ps.Run($"New-Container {name} -Name from-auth-file -SkipCertificateCheck -AuthFile '{authFile}' true");
        Assert.Equal("secret", Marker(name, "Always", $"-SkipCertificateCheck -AuthFile '{authFile}'"));
    }
}
