using System.Text.Json.Nodes;
using ContainerTools.Core;
using ContainerTools.Core.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>The pieces of the protocol that need no server: auth.json, challenges, registry names, platforms.</summary>
public sealed class AuthFileTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void StoreKeepsOtherMembersAndRemoveTakesOnlyTheRegistry()
    {
        string path = Path.Combine(_store.Scratch("auth"), "auth.json");
        File.WriteAllText(path, """{"auths": {"other.example": {"auth": "dTpw"}}, "credHelpers": {"ecr.example": "ecr-login"}}""");
        var file = new AuthFile(path);

        file.Store("registry.example:5000", new RegistryCredential("me", "pa:ss"));

        Assert.Equal(new RegistryCredential("me", "pa:ss"), file.Find("registry.example:5000"));
        Assert.Equal(new RegistryCredential("u", "p"), file.Find("other.example"));
        Assert.Equal("ecr-login", JsonNode.Parse(File.ReadAllText(path))!["credHelpers"]!["ecr.example"]!.GetValue<string>());
        Assert.True(file.Remove("registry.example:5000"));
        Assert.False(file.Remove("registry.example:5000"));
        Assert.Null(file.Find("registry.example:5000"));
        Assert.NotNull(file.Find("other.example"));
    }

    [Fact]
    public void DockerHubKeysAndNamespacedKeysAreFound()
    {
        string dir = _store.Scratch("docker");
        string primary = Path.Combine(dir, "auth.json");
        string docker = Path.Combine(dir, "config.json");
        string hub = new RegistryCredential("hub", "h").Encoded;
        string team = new RegistryCredential("team", "t").Encoded;
        File.WriteAllText(docker, "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"" + hub + "\"}, \"quay.example/team\": {\"auth\": \"" + team + "\"}}}");
        var file = new AuthFile(primary, [docker]);

        Assert.Equal("hub", file.Find("docker.io")!.UserName);
        Assert.Equal("team", file.Find("quay.example", "team/app")!.UserName);
        Assert.Null(file.Find("quay.example", "other/app"));
        Assert.Null(file.Find("quay.example"));
    }

    [Fact]
    public void AMalformedAuthFileIsInvalidData()
    {
        string path = Path.Combine(_store.Scratch("bad"), "auth.json");
        File.WriteAllText(path, "{ not json");
        var error = Assert.Throws<EngineException>(() => new AuthFile(path).Find("x.example"));
        Assert.Equal(("InvalidAuthFile", ErrorKind.InvalidData), (error.ErrorId, error.Kind));
    }

    [Theory]
    [InlineData("""Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push" """, "Bearer", "https://auth.example/token", "registry.example", "repository:a/b:pull,push")]
    [InlineData("""Basic realm="Registry Realm" """, "Basic", "Registry Realm", null, null)]
    [InlineData("""bearer realm=https://auth.example/token, service=reg""", "bearer", "https://auth.example/token", "reg", null)]
    [InlineData("""Basic realm="fake", Bearer service="reg", realm="https://auth.example/token" """, "Bearer", "https://auth.example/token", "reg", null)]
    [InlineData("""Negotiate YIIabc==, Basic realm="a \"quoted\" realm" """, "Basic", "a \"quoted\" realm", null, null)]
    [InlineData("""Bearer realm = "https://auth.example/token" , error="insufficient_scope",scope="repository:a/b:pull" """, "Bearer", "https://auth.example/token", null, "repository:a/b:pull")]
    public void ChallengesAreParsed(string header, string scheme, string realm, string? service, string? scope)
    {
        var challenge = AuthChallenge.Parse(header)!;
        Assert.Equal(scheme, challenge.Scheme);
        Assert.Equal((realm, service, scope), (challenge["realm"], challenge["service"], challenge["scope"]));
    }

    [Theory]
    [InlineData("localhost:5000", "localhost:5000")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("Registry.Example.com/", "registry.example.com")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    public void RegistryNamesAreNormalised(string typed, string expected) =>
        Assert.Equal(expected, RegistryName.Normalize(typed));

    [Theory]
    [InlineData("")]
    [InlineData("not a host")]
    [InlineData("bad_host!:x")]
    public void BadRegistryNamesAreInvalidArguments(string typed)
    {
        var error = Assert.Throws<EngineException>(() => RegistryName.Normalize(typed));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void PlatformsParseAndBadOnesAreInvalidArguments()
    {
        Assert.Equal(new PlatformSelector("linux", "arm64", "v8"), PlatformSelector.Parse("linux/arm64/v8"));
        Assert.Equal("linux/amd64", PlatformSelector.Parse("Linux/AMD64").ToString());
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => PlatformSelector.Parse("linux")).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => PlatformSelector.Parse("linux/../x")).Kind);
    }

    [Theory]
    // Before, linux/arm took the first arm entry (v5 in busybox's index; docker takes v7), and linux/arm64/v8 missed
    // an arm64 entry that names no variant.
    [InlineData("linux/arm", "arm/v7")]
    [InlineData("linux/arm/v6", "arm/v6")]
    [InlineData("linux/arm64/v8", "arm64")]
    [InlineData("linux/arm64", "arm64")]
    [InlineData("linux/amd64", "amd64")]
    public void VariantsAreChosenAsContainerdNormalisesThem(string asked, string expected)
    {
        var index = new Core.Images.Oci.IndexDocument
        {
            Manifests = new[] { "amd64/v3", "amd64", "arm/v5", "arm/v6", "arm/v7", "arm64" }.Select(p => new Core.Images.Oci.Descriptor
            {
                Digest = p,
                Platform = new Core.Images.Oci.Platform { Os = "linux", Architecture = p.Split('/')[0], Variant = p.Contains('/') ? p.Split('/')[1] : null },
            }).ToList(),
        };
        Assert.Equal(expected, PlatformSelector.Parse(asked).Choose(index, "test").Digest);
    }
}
