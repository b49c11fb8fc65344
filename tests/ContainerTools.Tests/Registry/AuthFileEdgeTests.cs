using System.Text.Json.Nodes;
using ContainerTools.Core;
using ContainerTools.Core.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>auth.json as other tools leave it: other spellings of a registry, odd shapes, a link, two writers at once.</summary>
public sealed class AuthFileEdgeTests : IDisposable
{
    private static readonly RegistryCredential Old = new("me", "old");
    private static readonly RegistryCredential New = new("me", "new");

    private readonly TestStore _store = new();
    private readonly string _dir;

    public AuthFileEdgeTests() => _dir = _store.Scratch("auth");

    public void Dispose() => _store.Dispose();

    private string Write(string name, string json)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static string Logins(params string[] keys) =>
        "{\"auths\": {" + string.Join(", ", keys.Select(key => $"\"{key}\": {{\"auth\": \"{Old.Encoded}\"}}")) + "}}";

    private static string[] Keys(string path) => JsonNode.Parse(File.ReadAllText(path))!["auths"]!.AsObject().Select(e => e.Key).ToArray();

    [Fact]
    public void ALoginReplacesTheOneStoredUnderAnotherSpellingOfTheSameRegistry()
    {
        // docker login wrote Docker Hub's legacy key; the new login was added beside it, and the old password,
        // first in the file, was the one found.
        string path = Write("hub.json", Logins("https://index.docker.io/v1/", "Registry.Example:5000"));
        var file = new AuthFile(path);

        file.Store("docker.io", New);
        file.Store("registry.example:5000", New);

        Assert.Equal(New, file.Find("docker.io"));
        Assert.Equal(New, file.Find("registry.example:5000"));
        Assert.Equal(["docker.io", "registry.example:5000"], Keys(path));
    }

    [Theory]
    [InlineData("https://reg.example:5000/v2/")]
    [InlineData("http://reg.example:5000")]
    [InlineData("REG.example:5000")]
    public void AKeyWithASchemePathOrCapitalsNamesItsHost(string key)
    {
        // As containers/image reads them: a scheme means a URL, whose path is no repository namespace.
        string path = Write("url.json", Logins(key));
        var file = new AuthFile(path);

        Assert.Equal(Old, file.Find("reg.example:5000", "team/app"));
        Assert.True(file.Remove("reg.example:5000"));
        Assert.Empty(Keys(path));
    }

    [Theory]
    [InlineData("""{"auths": {"h.example": {"auth": 5}}}""")]
    [InlineData("""{"auths": {"h.example": "bWU6b2xk"}}""")]
    [InlineData("""{"auths": ["h.example"]}""")]
    [InlineData("")]
    [InlineData("null")]
    public void AFileOfTheWrongShapeIsInvalidDataAndIsLeftAsItWas(string json)
    {
        string path = Write("shape.json", json);
        var file = new AuthFile(path);

        foreach (var use in new Action[] { () => file.Find("h.example"), () => file.Store("h.example", New), () => file.Remove("h.example") })
        {
            var error = Assert.Throws<EngineException>(use);
            Assert.Equal(("InvalidAuthFile", ErrorKind.InvalidData, path), (error.ErrorId, error.Kind, error.Target));
        }
        Assert.Equal(json, File.ReadAllText(path));
    }

    [Fact]
    public void ADirectoryInPlaceOfTheFileIsAnInvalidArgumentNamingIt()
    {
        string path = Path.Combine(_dir, "dir.json");
        Directory.CreateDirectory(path);
        var file = new AuthFile(path);

        foreach (var use in new Action[] { () => file.Find("h.example"), () => file.Store("h.example", New), () => file.Remove("h.example") })
        {
            var error = Assert.Throws<EngineException>(use);
            Assert.Equal(("AuthFileIsDirectory", ErrorKind.InvalidArgument, path), (error.ErrorId, error.Kind, error.Target));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(path));
    }

    [Fact]
    public void ALinkedFileIsWrittenThroughAndKeepsMode0600()
    {
        // A dotfiles link: the login was written over the link, and the file it named never had it.
        string real = Write("real.json", Logins("other.example"));
        File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string link = Path.Combine(_dir, "link.json");
        File.CreateSymbolicLink(link, "real.json");
        string dangling = Path.Combine(_dir, "dangling.json");
        File.CreateSymbolicLink(dangling, Path.Combine(_dir, "later", "auth.json"));

        new AuthFile(link).Store("h.example", New);
        new AuthFile(dangling).Store("h.example", New);

        Assert.Equal("real.json", new FileInfo(link).LinkTarget);
        Assert.Equal(["other.example", "h.example"], Keys(real));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(real));
        Assert.Equal(New, new AuthFile(Path.Combine(_dir, "later", "auth.json")).Find("h.example"));
        Assert.True(new AuthFile(link).Remove("h.example"));
        Assert.Equal(["other.example"], Keys(real));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task TwoSessionsLoggingInAtOnceBothKeepTheirLogins()
    {
        // Each read the file, added its login and wrote it back: the later write dropped the other's.
        string path = Path.Combine(_dir, "shared.json");
        await Task.WhenAll(Enumerable.Range(0, 2).Select(writer => Task.Run(() =>
        {
            var file = new AuthFile(path);
            for (int i = 0; i < 40; i++)
                file.Store($"r{writer}-{i}.example", New);
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(80, Keys(path).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Empty(Directory.EnumerateFiles(_dir, ".tmp-*"));
    }
}
