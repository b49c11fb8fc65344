using System.Text.Json.Nodes;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>Push and pull against a real docker-registry on 127.0.0.1 over plain HTTP, and with skopeo on the other side.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly LocalRegistry _registry;
    private readonly PowerShellSession _ps;

    public RoundTripTests()
    {
        _registry = LocalRegistry.Start(_store);
        _ps = new PowerShellSession(_store);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _registry.Dispose();
        _store.Dispose();
    }

    private string Name(string repository) => $"{_registry.Address}/{repository}";

    [Fact]
    public void PushRemovePullKeepsTheDigests()
    {
        var image = TestImages.Busybox(_store, Name("test/busybox:1"));

        var pushed = (PushResult)_ps.Run($"Publish-ContainerImage -Name {Name("test/busybox:1")}").Single().BaseObject;
        Assert.Equal(image.ManifestDigest, pushed.Digest);
        Assert.Equal(2, pushed.Uploaded);
        new ImageStore(_store.Location).Remove(Name("test/busybox:1"), force: false);
        Assert.Null(new ImageStore(_store.Location).TryResolve(Name("test/busybox:1")));

        var result = _ps.Invoke($"Request-ContainerImage {Name("test/busybox:1")}");
        result.ThrowIfFailed("pull");
        var pulled = result.Output.Single();
        Assert.Equal(image.ManifestDigest, pulled.Properties["ManifestDigest"].Value);
        Assert.Equal(image.Id, pulled.Properties["Id"].Value);
        Assert.Equal(Name("test/busybox:1"), pulled.Properties["Name"].Value);
        Assert.Contains(result.Information, i => i.MessageData.ToString()!.Contains("downloaded 2 blob(s)", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.StatusDescription.EndsWith(": Done", StringComparison.Ordinal));
        var stored = new ImageStore(_store.Location).Resolve(Name("test/busybox:1"));
        Assert.Equal(image.ManifestDigest, stored.ManifestDigest);
        Assert.True(Directory.Exists(Path.Combine(new ImageStore(_store.Location).LayerDirectory(stored.TopChainId!), "bin")));
    }

    [Fact]
    public void APullTidiesWhatAKilledImportLeft()
    {
        TestImages.Busybox(_store, Name("tidy/busybox:1"));
        _ps.Run($"Publish-ContainerImage {Name("tidy/busybox:1")}; Remove-ContainerImage {Name("tidy/busybox:1")}");
        var images = new ImageStore(_store.Location);
        var (blob, chainId) = Images.ImageFixtures.UnreferencedLayer(images, _store);

        _ps.Run($"Request-ContainerImage {Name("tidy/busybox:1")}");

        Assert.False(images.Blobs.Has(blob), "the killed import's blob is still there");
        Assert.False(images.Layers.Has(chainId), "the killed import's layer is still there");
        Assert.True(images.Layers.Has(images.Resolve(Name("tidy/busybox:1")).TopChainId!), "the pulled image lost its layer");
    }

    [Fact]
    public async Task PullingAgainDownloadsNothing()
    {
        TestImages.Busybox(_store, Name("again/busybox:1"));
        _ps.Run($"Publish-ContainerImage {Name("again/busybox:1")}");
        var puller = new ImagePuller(new ImageStore(_store.Location), new RegistryOptions { AuthFile = new AuthFile(Path.Combine(_store.Path, "auth.json")) });
        var second = await puller.PullAsync(ImageReference.Parse(Name("again/busybox:1")), PlatformSelector.Host, cancel: TestContext.Current.CancellationToken);
        Assert.Equal(0, second.Downloaded);
        Assert.Equal(2, second.Present);
    }

    [Fact]
    public void PushSkipsBlobsTheRepositoryHasAndMountsFromAnotherRepository()
    {
        TestImages.Busybox(_store, Name("team/a:1"));
        _ps.Run($"Publish-ContainerImage {Name("team/a:1")}");

        var again = (PushResult)_ps.Run($"Publish-ContainerImage {Name("team/a:1")}").Single().BaseObject;
        Assert.Equal((0, 0, 2), (again.Uploaded, again.Mounted, again.Existing));

        var mounted = (PushResult)_ps.Run($"Publish-ContainerImage {Name("team/a:1")} -Destination {Name("team/b:2")}").Single().BaseObject;
        Assert.Equal((0, 2, 0), (mounted.Uploaded, mounted.Mounted, mounted.Existing));
        Assert.Equal($"{_registry.Address}/team/b:2", mounted.Reference);
    }

    [Fact]
    public void SkopeoCopiesWhatWePushed()
    {
        var image = TestImages.Busybox(_store, Name("ours/busybox:1"));
        _ps.Run($"Publish-ContainerImage {Name("ours/busybox:1")}");
        string layout = Path.Combine(_store.Scratch("skopeo"), "layout");
        Tool.Run("skopeo", "copy", "--src-tls-verify=false", $"docker://{Name("ours/busybox:1")}", $"oci:{layout}:copy");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        Assert.Equal(image.ManifestDigest, index["manifests"]![0]!["digest"]!.GetValue<string>());
    }

    [Fact]
    public void WePullWhatSkopeoPushed()
    {
        string scratch = _store.Scratch("umoci");
        string layout = Path.Combine(scratch, "layout");
        string bundle = Path.Combine(scratch, "bundle");
        Tool.Run("umoci", "init", "--layout", layout);
        Tool.Run("umoci", "new", "--image", layout + ":t");
        Tool.Run("umoci", "unpack", "--image", layout + ":t", bundle);
        Support.Busybox.CreateRootfs(Path.Combine(bundle, "rootfs"));
        Tool.Run("umoci", "repack", "--image", layout + ":t", bundle);
        Tool.Run("skopeo", "copy", "--dest-tls-verify=false", $"oci:{layout}:t", $"docker://{Name("skopeo/busybox:1")}");
        string digest = Tool.Run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", $"docker://{Name("skopeo/busybox:1")}").Trim();

        var pulled = _ps.Run($"Request-ContainerImage {Name("skopeo/busybox:1")}").Single();

        Assert.Equal(digest, pulled.Properties["ManifestDigest"].Value);
        var stored = new ImageStore(_store.Location).Resolve(Name("skopeo/busybox:1"));
        Assert.True(File.Exists(Path.Combine(new ImageStore(_store.Location).LayerDirectory(stored.TopChainId!), "bin", "busybox")));
    }

    [Fact]
    public async Task AnIndexIsResolvedToTheAskedPlatform()
    {
        var amd = TestImages.Busybox(_store, Name("multi/busybox:amd64"), "amd64");
        var arm = TestImages.Busybox(_store, Name("multi/busybox:arm64"), "arm64");
        _ps.Run($"Publish-ContainerImage {Name("multi/busybox:amd64")}; Publish-ContainerImage {Name("multi/busybox:arm64")}");
        var blobs = new ImageStore(_store.Location).Blobs;
        var index = new IndexDocument
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = amd.ManifestDigest, Size = blobs.Size(amd.ManifestDigest), Platform = new Platform { Os = "linux", Architecture = "amd64" } },
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = arm.ManifestDigest, Size = blobs.Size(arm.ManifestDigest), Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" } },
            ],
        };
        byte[] bytes = OciJson.Serialize(index, OciJsonContext.Default.IndexDocument);
        using (var client = new RegistryClient(_registry.Address, new RegistryOptions { AuthFile = new AuthFile(Path.Combine(_store.Path, "auth.json")) }))
            await client.PutManifestAsync("multi/busybox", "all", new RegistryManifest(bytes, MediaTypes.OciIndex, Digest.Of(bytes)), TestContext.Current.CancellationToken);

        var pulled = _ps.Run($"Request-ContainerImage {Name("multi/busybox:all")} -Platform linux/arm64").Single();
        Assert.Equal(arm.ManifestDigest, pulled.Properties["ManifestDigest"].Value);
        Assert.Equal("arm64", pulled.Properties["Architecture"].Value);

        var missing = _ps.Invoke($"Request-ContainerImage {Name("multi/busybox:all")} -Platform linux/s390x");
        var error = Assert.Single(missing.Errors);
        Assert.Equal("PlatformNotFound,ContainerTools.Cmdlets.RequestContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void TablesShowWhatMovedWithHumanSizes()
    {
        TestImages.Busybox(_store, Name("table/busybox:1"));
        string push = Plain(_ps.Render($"Publish-ContainerImage {Name("table/busybox:1")}"));
        Assert.Matches(@"Reference\s+Digest\s+Uploaded\s+Mounted\s+Existing\s+Transferred", push);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(Name("table/busybox:1"))}\s+sha256:[0-9a-f]{{12}}\s+2\s+0\s+0\s+[0-9.]+[kM]B", push);
        string pull = Plain(_ps.Render($"Request-ContainerImage {Name("table/busybox:1")}"));
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(Name("table/busybox"))}\s+1\s+[0-9a-f]{{12}}", pull);
    }

    /// <summary>The rendered text without the ANSI styling of table headers.</summary>
    private static string Plain(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\x1b\\[[0-9;]*m", "");
}
