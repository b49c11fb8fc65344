using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// New-Container and Invoke-ContainerImage get a missing image from a real registry as `docker run` does
/// (-Pull Missing|Always|Never), with the registry parameters of Request-ContainerImage. The images differ
/// by /etc/marker, so what a container prints tells which one it was made from.
/// </summary>
public sealed class PullPolicyTests : RegistrySessionTest
{
    private string Marker(string name, string pull, string parameters = "") =>
        string.Join("\n", Ps.Run($"Invoke-ContainerImage {name} -Pull {pull} -Network none -Remove {parameters} cat /etc/marker"));

    [Fact]
    public void NewAndInvokePullMissingImagesAndAlwaysRefreshes()
    {
        var registry = Serve(LocalRegistry.Start(Store));
        string name = registry.Publish("policy/busybox:1", "one");

        var created = Ps.Run($"New-Container {name} -Name first true").Single();
        Assert.Equal(name, created.Properties["Image"].Value);
        Assert.NotNull(new ImageStore(Store.Location).TryResolve(name));

        registry.Publish("policy/busybox:1", "two");
        Assert.Equal("one", Marker(name, "Missing"));
        Assert.Equal("one", Marker(name, "Never"));
        Assert.Equal("two", Marker(name, "Always"));
        Assert.Equal("two", Marker(name, "Missing"));
    }

    [Fact]
    public void PullNeverWithAMissingImageIsAnErrorRecordThatCreatesNothing()
    {
        var registry = Serve(LocalRegistry.Start(Store));
        string name = registry.Publish("policy/busybox:1", "one");
        var before = TestImages.Snapshot(Store.Location);

        foreach (string script in new[] { $"New-Container {name} -Pull Never true", $"Invoke-ContainerImage {name} -Pull Never true" })
        {
            var error = Assert.Single(Ps.Invoke(script).AllErrors);
            Assert.StartsWith("ImageNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(name, error.TargetObject);
        }
        Assert.Empty(Ps.Run("Get-Container"));
        Assert.Empty(Ps.Run("Get-ContainerImage"));
        Assert.Equal(before, TestImages.Snapshot(Store.Location));
    }

    [Fact]
    public void PullsFromAnHtpasswdRegistryWithCredentialOrAuthFile()
    {
        var registry = Serve(LocalRegistry.Start(Store, tls: true, auth: RegistryAuth.Htpasswd));
        string name = registry.Publish("secure/busybox:1", "secret");

        var refused = Ps.Invoke($"New-Container {name} -SkipCertificateCheck true");
        Assert.StartsWith("RegistryAuthenticationRequired,", Assert.Single(refused.AllErrors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(Ps.Run("Get-Container"));

        Assert.Equal("secret", Marker(name, "Missing", "-SkipCertificateCheck -Credential $credential"));

        string authFile = Path.Combine(Store.Scratch("login"), "auth.json");
        Ps.Run($"Connect-ContainerRegistry {registry.Address} -Credential $credential -SkipCertificateCheck -AuthFile '{authFile}'");
        Ps.Run($"Remove-ContainerImage {name}");
        Ps.Run($"New-Container {name} -Name from-auth-file -SkipCertificateCheck -AuthFile '{authFile}' true");
        Assert.Equal("secret", Marker(name, "Always", $"-SkipCertificateCheck -AuthFile '{authFile}'"));
    }
}
