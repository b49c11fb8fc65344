using System.Management.Automation;
using System.Text.Json.Nodes;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// Logins and authenticated transfers against real registries: TLS with a certificate the test made plus htpasswd
/// Basic auth, and Bearer tokens from a token service the test runs. Logins go to an auth file in the test's folder.
/// </summary>
public sealed class AuthenticationTests : RegistrySessionTest
{
    public AuthenticationTests() => Ps.Run("$null", new Dictionary<string, object?> { ["wrong"] = Credential("not-it") });

    [Fact]
    public void BasicAuthOverTlsRoundTripsWithAStoredLogin()
    {
        var registry = Serve(LocalRegistry.Start(Store, tls: true, auth: RegistryAuth.Htpasswd));
        string name = $"{registry.Address}/secure/busybox:1";
        var image = TestImages.Busybox(Store, name);

        var login = Ps.Run($"Connect-ContainerRegistry {registry.Address} -Credential $credential -SkipCertificateCheck").Single();
        Assert.Equal(registry.Address, login.Properties["Registry"].Value);
        var auths = JsonNode.Parse(File.ReadAllText(AuthFilePath))!["auths"]!;
        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{LocalRegistry.User}:{LocalRegistry.Password}")), auths[registry.Address]!["auth"]!.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AuthFilePath));

        Ps.Run($"Publish-ContainerImage {name} -SkipCertificateCheck");
        Ps.Run($"Remove-ContainerImage {name}");
        var pulled = Ps.Run($"Request-ContainerImage {name} -SkipCertificateCheck").Single();
        Assert.Equal(image.ManifestDigest, pulled.Properties["ManifestDigest"].Value);

        Ps.Run($"Disconnect-ContainerRegistry {registry.Address}");
        Assert.Null(JsonNode.Parse(File.ReadAllText(AuthFilePath))!["auths"]![registry.Address]);
        var refused = Ps.Invoke($"Request-ContainerImage {name} -SkipCertificateCheck");
        AssertError(refused, "RegistryAuthenticationRequired", ErrorCategory.AuthenticationError);
    }

    [Fact]
    public void ALoginForANamespaceServesItsRepositoriesAlone()
    {
        // Before, Connect-ContainerRegistry host/org stored a login for the whole host (podman keeps the namespace).
        var registry = Serve(LocalRegistry.Start(Store, tls: true, auth: RegistryAuth.Htpasswd));
        string inside = $"{registry.Address}/team/tools/busybox:1", outside = $"{registry.Address}/others/busybox:1";
        TestImages.Busybox(Store, inside);
        Ps.Run($"Add-ContainerImageTag {inside} {outside}");

        var login = Ps.Run($"Connect-ContainerRegistry {registry.Address}/team -Credential $credential -SkipCertificateCheck").Single();
        Assert.Equal($"{registry.Address}/team", login.Properties["Registry"].Value);
        var auths = JsonNode.Parse(File.ReadAllText(AuthFilePath))!["auths"]!.AsObject();
        Assert.Equal([$"{registry.Address}/team"], auths.Select(entry => entry.Key));

        Ps.Run($"Publish-ContainerImage {inside} -SkipCertificateCheck");
        AssertError(Ps.Invoke($"Publish-ContainerImage {outside} -SkipCertificateCheck"), "RegistryAuthenticationRequired", ErrorCategory.AuthenticationError);

        Ps.Run($"Disconnect-ContainerRegistry {registry.Address}/team");
        Assert.Empty(JsonNode.Parse(File.ReadAllText(AuthFilePath))!["auths"]!.AsObject());
        var bad = Ps.Invoke($"Connect-ContainerRegistry '{registry.Address}/team:1' -Credential $credential -SkipCertificateCheck");
        AssertError(bad, "InvalidRegistryName", ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void AnUntrustedCertificateIsASecurityErrorUntilSkipped()
    {
        var registry = Serve(LocalRegistry.Start(Store, tls: true));
        var result = Ps.Invoke($"Request-ContainerImage {registry.Address}/any/image:1");
        AssertError(result, "RegistryCertificateInvalid", ErrorCategory.SecurityError);
        var skipped = Ps.Invoke($"Request-ContainerImage {registry.Address}/any/image:1 -SkipCertificateCheck");
        AssertError(skipped, "ManifestNotFound", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void AWrongPasswordIsRefusedAndNotStored()
    {
        var registry = Serve(LocalRegistry.Start(Store, tls: true, auth: RegistryAuth.Htpasswd));
        var result = Ps.Invoke($"Connect-ContainerRegistry {registry.Address} -Credential $wrong -SkipCertificateCheck");
        AssertError(result, "RegistryAuthenticationFailed", ErrorCategory.AuthenticationError);
        Assert.False(File.Exists(AuthFilePath));

        string name = $"{registry.Address}/secure/busybox:1";
        var before = TestImages.Snapshot(Store.Location);
        var pull = Ps.Invoke($"Request-ContainerImage {name} -Credential $wrong -SkipCertificateCheck");
        AssertError(pull, "RegistryAuthenticationFailed", ErrorCategory.AuthenticationError);
        Assert.Equal(before, TestImages.Snapshot(Store.Location));
    }

    [Fact]
    public void BearerTokensFromATokenServiceRoundTrip()
    {
        var tokens = Serve(new TokenService(Store.Scratch("tokens")));
        var registry = Serve(LocalRegistry.Start(Store, auth: RegistryAuth.Token, tokens: tokens));
        string name = $"{registry.Address}/token/busybox:1";
        var image = TestImages.Busybox(Store, name);

        var anonymous = Ps.Invoke($"Publish-ContainerImage {name}");
        AssertError(anonymous, "RegistryAuthenticationRequired", ErrorCategory.AuthenticationError);
        var wrong = Ps.Invoke($"Connect-ContainerRegistry {registry.Address} -Credential $wrong");
        AssertError(wrong, "RegistryAuthenticationFailed", ErrorCategory.AuthenticationError);

        Ps.Run($"Connect-ContainerRegistry {registry.Address} -Credential $credential");
        int before = tokens.Requests;
        var pushed = Ps.Run($"Publish-ContainerImage {name}").Single();
        Assert.Equal(image.ManifestDigest, pushed.Properties["Digest"].Value);
        Assert.Equal(2, tokens.Requests - before); // one token per scope (pull for the HEAD checks, push for uploads), shared by the parallel blob requests
        var mounted = Ps.Run($"Publish-ContainerImage {name} -Destination {registry.Address}/token/copy:1").Single();
        Assert.Equal(2, mounted.Properties["Mounted"].Value);
        Ps.Run($"Remove-ContainerImage {name}");
        var pulled = Ps.Run($"Request-ContainerImage {name}").Single();
        Assert.Equal(image.ManifestDigest, pulled.Properties["ManifestDigest"].Value);
    }

    [Fact]
    public void LoginsAreReadFromDockerConfigShapedFilesToo()
    {
        var registry = Serve(LocalRegistry.Start(Store, tls: true, auth: RegistryAuth.Htpasswd));
        string dockerConfig = Path.Combine(Store.Scratch("docker"), "config.json");
        string encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{LocalRegistry.User}:{LocalRegistry.Password}"));
        File.WriteAllText(dockerConfig, $$$"""{"auths": {"https://{{{registry.Address}}}": {"auth": "{{{encoded}}}"}}, "credHelpers": {}}""");
        string name = $"{registry.Address}/docker/busybox:1";
        TestImages.Busybox(Store, name);
        var pushed = Ps.Run($"Publish-ContainerImage {name} -SkipCertificateCheck -AuthFile '{dockerConfig}'").Single();
        Assert.Equal(2, pushed.Properties["Uploaded"].Value);
    }

    [Fact]
    public void DisconnectWithoutALoginIsNotFoundAndHonoursWhatIf()
    {
        var missing = Ps.Invoke("Disconnect-ContainerRegistry registry.example:5000");
        AssertError(missing, "NotLoggedIn", ErrorCategory.ObjectNotFound);

        var file = new Core.Registry.AuthFile(AuthFilePath);
        file.Store("registry.example:5000", new Core.Registry.RegistryCredential("u", "p"));
        Ps.Run("Disconnect-ContainerRegistry registry.example:5000 -WhatIf");
        Assert.NotNull(file.Find("registry.example:5000"));
        Ps.Run("'registry.example:5000' | Disconnect-ContainerRegistry");
        Assert.Null(file.Find("registry.example:5000"));
    }

    private static void AssertError(PowerShellResult result, string errorId, ErrorCategory category)
    {
        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(category, error.CategoryInfo.Category);
    }
}
