using System.Management.Automation;
using System.Text;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// Registries that are down or lie: each pull ends in one ErrorRecord with the right category, and the store is
/// exactly as it was (nothing half-written, no stray blobs).
/// </summary>
public sealed class HostileServerTests : IDisposable
{
    private const string Repository = "evil/image";

    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;
    private readonly HostileRegistry _server = new();

    public HostileServerTests()
    {
        _ps = new PowerShellSession(_store);
        _ps.Run("$null", new Dictionary<string, object?> { ["ContainerToolsAuthFile"] = Path.Combine(_store.Path, "auth.json") });
        TestImages.Busybox(_store, "local/kept:1"); // a store with content, so "unchanged" means something
    }

    public void Dispose()
    {
        _ps.Dispose();
        _server.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void ARegistryThatIsDownIsRetriedThenAConnectionError()
    {
        int port = HostPorts.Free();
        AssertPullFails($"127.0.0.1:{port}/any/image:1", "RegistryUnreachable", ErrorCategory.ConnectionError,
            message => Assert.Contains("3 attempts", message, StringComparison.Ordinal));
    }

    [Fact]
    public void ABlobWhoseBytesDoNotMatchItsDigestIsRefused()
    {
        var (manifest, layer) = ServeImage(layerBytes: Encoding.UTF8.GetBytes("these are not the bytes you hashed"));
        _server.OnBytes($"/v2/{Repository}/manifests/1", manifest, MediaTypes.OciManifest);
        AssertPullFails($"{_server.Address}/{Repository}:1", "BlobDigestMismatch", ErrorCategory.InvalidData,
            message => Assert.Contains(layer, message, StringComparison.Ordinal));
    }

    [Fact]
    public void AManifestOverTheSizeLimitIsRefusedBeforeItIsRead()
    {
        byte[] huge = new byte[5 * 1024 * 1024];
        huge.AsSpan().Fill((byte)' ');
        huge[0] = (byte)'{';
        huge[^1] = (byte)'}';
        _server.OnBytes($"/v2/{Repository}/manifests/1", huge, MediaTypes.OciManifest);
        AssertPullFails($"{_server.Address}/{Repository}:1", "DocumentTooLarge", ErrorCategory.LimitsExceeded);
    }

    [Fact]
    public void AManifestThatGrowsPastTheLimitWithoutALengthIsRefused()
    {
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.ContentType = MediaTypes.OciManifest;
            response.SendChunked = true;
            byte[] chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            for (int i = 0; i < 100; i++)
                response.OutputStream.Write(chunk);
        });
        AssertPullFails($"{_server.Address}/{Repository}:1", "DocumentTooLarge", ErrorCategory.LimitsExceeded);
    }

    [Fact]
    public void AMalformedManifestIsInvalidData()
    {
        _server.OnBytes($"/v2/{Repository}/manifests/1", Encoding.UTF8.GetBytes("{\"schemaVersion\": 2, \"config\": "), MediaTypes.OciManifest);
        AssertPullFails($"{_server.Address}/{Repository}:1", "InvalidImageDocument", ErrorCategory.InvalidData);
    }

    [Fact]
    public void AManifestWithATraversingDigestIsInvalidData()
    {
        string manifest = $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"sha256:../../../../etc/passwd","size":1},"layers":[]}""";
        _server.OnBytes($"/v2/{Repository}/manifests/1", Encoding.UTF8.GetBytes(manifest), MediaTypes.OciManifest);
        AssertPullFails($"{_server.Address}/{Repository}:1", "InvalidDigest", ErrorCategory.InvalidData);
    }

    [Fact]
    public void ARedirectLoopStopsAtTheLimit()
    {
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.StatusCode = 302;
            response.RedirectLocation = $"http://{_server.Address}/v2/{Repository}/manifests/1";
        });
        AssertPullFails($"{_server.Address}/{Repository}:1", "TooManyRedirects", ErrorCategory.LimitsExceeded);
    }

    [Fact]
    public void AManifestThatIsNotTheDigestAskedForIsRefused()
    {
        var (manifest, _) = ServeImage(layerBytes: Encoding.UTF8.GetBytes("layer"));
        string other = Digest.Of(Encoding.UTF8.GetBytes("another manifest"));
        _server.OnBytes($"/v2/{Repository}/manifests/{other}", manifest, MediaTypes.OciManifest);
        AssertPullFails($"{_server.Address}/{Repository}@{other}", "ManifestDigestMismatch", ErrorCategory.InvalidData);
    }

    [Fact]
    public async Task AnInterruptedPullKeepsWhatWasVerifiedAndTheRerunFetchesOnlyTheRest()
    {
        var (layer, diffId) = BusyboxLayer();
        var (manifest, layerDigest) = ServeImage(layer, diffId);
        string configDigest = System.Text.Json.Nodes.JsonNode.Parse(manifest)!["config"]!["digest"]!.GetValue<string>();
        var blobs = new ImageStore(_store.Location).Blobs;
        _server.OnBytes($"/v2/{Repository}/manifests/1", manifest, MediaTypes.OciManifest);
        _server.On($"/v2/{Repository}/blobs/{layerDigest}", response =>
        {
            // The config, downloaded beside the layer, is verified and kept before the layer fails.
            SpinWait.SpinUntil(() => blobs.Has(configDigest), TimeSpan.FromSeconds(30));
            response.ContentLength64 = layer.Length;
            response.OutputStream.Write(layer, 0, layer.Length / 2);
            response.Abort(); // the connection drops half way
        });
        var options = new Core.Registry.RegistryOptions { AuthFile = new Core.Registry.AuthFile(Path.Combine(_store.Path, "auth.json")) };
        var puller = new Core.Registry.ImagePuller(new ImageStore(_store.Location), options);
        var reference = ImageReference.Parse($"{_server.Address}/{Repository}:1");

        var interrupted = await Assert.ThrowsAsync<Core.EngineException>(() =>
            puller.PullAsync(reference, Core.Registry.PlatformSelector.Host, cancel: TestContext.Current.CancellationToken));
        Assert.Equal("DownloadInterrupted", interrupted.ErrorId);
        Assert.False(blobs.Has(layerDigest));
        Assert.DoesNotContain(Directory.EnumerateFiles(blobs.Directory), f => new FileInfo(f).Length == layer.Length / 2);
        Assert.Null(new ImageStore(_store.Location).TryResolve(reference.ToString()));

        _server.OnBytes($"/v2/{Repository}/blobs/{layerDigest}", layer);
        var rerun = await puller.PullAsync(reference, Core.Registry.PlatformSelector.Host, cancel: TestContext.Current.CancellationToken);
        Assert.Equal((1, 1), (rerun.Downloaded, rerun.Present));
        Assert.NotNull(new ImageStore(_store.Location).TryResolve(reference.ToString()));
    }

    [Fact]
    public async Task ARegistryThatStallsMidBlobIsGivenUpAndLeavesNoPartialBlob()
    {
        var (layer, diffId) = BusyboxLayer();
        var (manifest, layerDigest) = ServeImage(layer, diffId);
        using var released = new ManualResetEventSlim();
        _server.OnBytes($"/v2/{Repository}/manifests/1", manifest, MediaTypes.OciManifest);
        _server.On($"/v2/{Repository}/blobs/{layerDigest}", response =>
        {
            response.ContentLength64 = layer.Length;
            response.OutputStream.Write(layer, 0, layer.Length / 2);
            response.OutputStream.Flush();
            released.Wait(TimeSpan.FromSeconds(60)); // the connection stays open and silent
        });
        var reference = ImageReference.Parse($"{_server.Address}/{Repository}:1");
        try
        {
            var stalled = await Assert.ThrowsAsync<Core.EngineException>(() =>
                new Core.Registry.ImagePuller(new ImageStore(_store.Location), StallingOptions())
                    .PullAsync(reference, Core.Registry.PlatformSelector.Host, cancel: TestContext.Current.CancellationToken));
            Assert.Equal("DownloadInterrupted", stalled.ErrorId);
            Assert.Contains("sent nothing for 1 s", stalled.Message, StringComparison.Ordinal);
        }
        finally
        {
            released.Set();
        }
        var blobs = new ImageStore(_store.Location).Blobs;
        Assert.False(blobs.Has(layerDigest));
        Assert.DoesNotContain(Directory.EnumerateFiles(blobs.Directory), f => new FileInfo(f).Length == layer.Length / 2);
        Assert.Null(new ImageStore(_store.Location).TryResolve(reference.ToString()));
    }

    [Fact]
    public async Task AnImportsTidyDuringAPullLeavesThePullsBlobsAlone()
    {
        // Import-ContainerImage (and Load) tidy the store first: blobs no image references go unless an ingest holds
        // its lock. Before, a pull did not hold it: its config, stored before its layers, went, and its registration failed.
        var (layer, diffId) = BusyboxLayer();
        var (manifest, layerDigest) = ServeImage(layer, diffId);
        using var layerAsked = new ManualResetEventSlim();
        using var released = new ManualResetEventSlim();
        _server.OnBytes($"/v2/{Repository}/manifests/1", manifest, MediaTypes.OciManifest);
        _server.On($"/v2/{Repository}/blobs/{layerDigest}", response =>
        {
            layerAsked.Set();
            released.Wait(TimeSpan.FromSeconds(60));
            response.ContentLength64 = layer.Length;
            response.OutputStream.Write(layer);
        });
        var reference = ImageReference.Parse($"{_server.Address}/{Repository}:1");
        var options = new Core.Registry.RegistryOptions { AuthFile = new Core.Registry.AuthFile(Path.Combine(_store.Path, "auth.json")) };
        var pull = new Core.Registry.ImagePuller(new ImageStore(_store.Location), options)
            .PullAsync(reference, Core.Registry.PlatformSelector.Host, cancel: TestContext.Current.CancellationToken);
        try
        {
            Assert.True(layerAsked.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "the pull never asked for its layer");
            new ImageStore(_store.Location).Tidy();
        }
        finally
        {
            released.Set();
        }
        var pulled = await pull;
        var (_, config) = new ImageStore(_store.Location).ReadDocuments(pulled.ManifestDigest);
        Assert.Equal(diffId, Assert.Single(config.RootFs.DiffIds));
    }

    [Fact]
    public void ALayerFoundNotToMatchItsDigestAfterItsUnpackingStartedLeavesNoBlobAndNoLayer()
    {
        var (layer, diffId) = BusyboxLayer();
        string claimed = Digest.Of(Encoding.UTF8.GetBytes("another layer of the same size"));
        var (manifest, layerDigest) = ServeImage(layer, diffId, servedAs: claimed);
        string layers = new ImageStore(_store.Location).Layers.Directory;
        bool unpackingStarted = false;
        _server.OnBytes($"/v2/{Repository}/manifests/1", manifest, MediaTypes.OciManifest);
        _server.On($"/v2/{Repository}/blobs/{layerDigest}", response =>
        {
            // Half the bytes, then the rest only once files of the layer are on disk: the digest is known to be
            // wrong only at the end, when the unpack is well under way.
            response.ContentLength64 = layer.Length;
            response.OutputStream.Write(layer, 0, layer.Length / 2);
            response.OutputStream.Flush();
            unpackingStarted = SpinWait.SpinUntil(() => StagedFiles(layers).Any(), TimeSpan.FromSeconds(30));
            response.OutputStream.Write(layer, layer.Length / 2, layer.Length - layer.Length / 2);
        });

        AssertPullFails($"{_server.Address}/{Repository}:1", "BlobDigestMismatch", ErrorCategory.InvalidData,
            message => Assert.Contains(claimed, message, StringComparison.Ordinal));
        Assert.True(unpackingStarted, "the layer was not unpacked while it downloaded");
        Assert.Empty(StagedFiles(layers));
    }

    [Fact]
    public void ARedirectToAFileUrlIsRefusedAsUnsafe()
    {
        // Before, HttpClient declined to follow it and the pull said the registry "redirected more than 5 times".
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.StatusCode = 307;
            response.RedirectLocation = "file:///etc/passwd";
        });
        AssertPullFails($"{_server.Address}/{Repository}:1", "UnsafeRedirect", ErrorCategory.SecurityError,
            message => Assert.Contains("file:///etc/passwd", message, StringComparison.Ordinal));
    }

    [Fact]
    public void ABlobRedirectedToAnotherHostIsFetchedWithoutTheCredential()
    {
        // S3-style storage: the registry's Basic credential must stay with the registry.
        using var storage = new HostileRegistry();
        var (layer, layerDigest, _) = ServeImageBehindBasicAuthWithItsLayerRedirected(digest => $"http://{storage.Address}/bucket/{digest}?signature=s3");
        storage.OnBytes($"/bucket/{layerDigest}", layer);

        _ps.Run($"Request-ContainerImage '{_server.Address}/{Repository}:1' -Credential $credential", Credential());
        var fetched = Assert.Single(storage.Received);
        Assert.Null(fetched.Authorization);
        Assert.Contains(_server.Received, r => r.Authorization is not null);
    }

    [Fact]
    public void ABlobRedirectedWithinTheRegistryKeepsTheCredential()
    {
        // Storage behind the registry's own host and port: the credential is the registry's, so it goes along (as Go's
        // clients send it to the same host). Before, HttpClient dropped it on every redirect and the pull ended in a 401.
        var (layer, layerDigest, manifest) = ServeImageBehindBasicAuthWithItsLayerRedirected(digest => $"/storage/{digest}");
        _server.On($"/storage/{layerDigest}", (request, response) =>
        {
            if (request.Headers["Authorization"] is null)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"fake\"");
                return;
            }
            response.ContentLength64 = layer.Length;
            response.OutputStream.Write(layer);
        });
        var pulled = _ps.Run($"Request-ContainerImage '{_server.Address}/{Repository}:1' -Credential $credential", Credential()).Single();
        Assert.Equal(Digest.Of(manifest), pulled.Properties["ManifestDigest"].Value);
    }

    [Fact]
    public void ATokenServiceThatRedirectsIsFollowed()
    {
        // HttpClient followed this by itself; the client's own redirects must keep doing so for the token service.
        var (layer, diffId) = BusyboxLayer();
        var (manifest, _) = ServeImage(layer, diffId);
        ServeTokenChallenge();
        _server.On("/token", response =>
        {
            response.StatusCode = 307;
            response.RedirectLocation = "/token/v2";
        });
        _server.OnBytes("/token/v2", """{"token":"moved"}"""u8.ToArray(), "application/json");
        ServeManifestOnlyWith("Bearer moved", manifest);
        var pulled = _ps.Run($"Request-ContainerImage '{_server.Address}/{Repository}:1'").Single();
        Assert.Equal(Digest.Of(manifest), pulled.Properties["ManifestDigest"].Value);
    }

    [Fact]
    public void AnAnonymousTokenThatIsRefusedAgainAsksForALoginOnce()
    {
        // Docker Hub's answer to an anonymous pull of a private or missing repository. Before, the pull said the
        // registry "refused the credentials of ''", though none were given.
        RefuseTheRepositoryToAnyToken();
        AssertPullFails($"{_server.Address}/{Repository}:1", "RegistryAuthenticationRequired", ErrorCategory.AuthenticationError,
            message => Assert.DoesNotContain("''", message, StringComparison.Ordinal));
        Assert.Equal(2, _server.Received.Count(r => r.PathAndQuery.StartsWith("/token", StringComparison.Ordinal))); // the prepared token, and one after the 401
    }

    [Fact]
    public void ACredentialWithoutAccessToTheRepositoryIsAccessDeniedNotAWrongPassword()
    {
        RefuseTheRepositoryToAnyToken();
        var before = TestImages.Snapshot(_store.Location);
        var result = _ps.Invoke($"Request-ContainerImage '{_server.Address}/{Repository}:1' -Credential $credential", Credential());
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("RegistryAccessDenied,ContainerTools.Cmdlets.RequestContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains(Repository, error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, TestImages.Snapshot(_store.Location));
    }

    [Fact]
    public void ACredentialIsNotSentToAPlainHttpRealmElsewhere()
    {
        // The realm may be on another host (Docker Hub's is), but a password must not cross the network in clear text.
        // Before, it was sent as Basic auth to whatever http:// realm the registry named.
        _server.On("/v2/", response =>
        {
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", "Bearer realm=\"http://198.51.100.1/token\",service=\"fake\"");
        });
        var result = _ps.Invoke($"Request-ContainerImage '{_server.Address}/{Repository}:1' -Credential $credential", Credential());
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("InsecureAuthRealm,ContainerTools.Cmdlets.RequestContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.SecurityError, (object)_server.Address), (error.CategoryInfo.Category, error.TargetObject));
        Assert.DoesNotContain("secret", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABearerChallengeAfterABasicOneInTheSameHeaderIsAnswered()
    {
        // RFC 7235 allows several challenges in one header, parameters in any order; the token may be "access_token".
        // Before, the parameters of both were read as one Basic challenge and the pull asked for a login.
        var (layer, diffId) = BusyboxLayer();
        var (manifest, _) = ServeImage(layer, diffId);
        string realm = $"http://{_server.Address}/token";
        _server.On("/v2/", response =>
        {
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", $"Basic realm=\"fake\", bearer service=\"fake\", realm=\"{realm}\"");
        });
        _server.OnBytes("/token", """{"access_token":"opaque","expires_in":300}"""u8.ToArray(), "application/json");
        ServeManifestOnlyWith("Bearer opaque", manifest);
        var pulled = _ps.Run($"Request-ContainerImage '{_server.Address}/{Repository}:1'").Single();
        Assert.Equal(Digest.Of(manifest), pulled.Properties["ManifestDigest"].Value);
    }

    [Fact]
    public async Task ARegistryThatNeverAnswersIsGivenUp()
    {
        // The connection is accepted, the request read, and nothing comes back. Before, the pull waited forever.
        using var released = new ManualResetEventSlim();
        _server.On($"/v2/{Repository}/manifests/1", _ => released.Wait(TimeSpan.FromSeconds(30)));
        var silent = await AssertGivenUpAsync(() => PullWithStallTimeout($"{_server.Address}/{Repository}:1"), released);
        Assert.Contains("1 s", silent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegistryThatStopsTakingAnUploadIsGivenUp()
    {
        // The PUT of a blob is accepted and never read or answered. Before, an upload had no deadline: the push waited forever.
        using var released = new ManualResetEventSlim();
        string uploads = $"/v2/{Repository}/blobs/uploads/";
        _server.On(uploads, response =>
        {
            response.StatusCode = 202;
            response.AddHeader("Location", "session-1");
        });
        _server.On(uploads + "session-1", _ => released.Wait(TimeSpan.FromSeconds(30)));
        var stalled = await AssertGivenUpAsync(() => new Core.Registry.ImagePusher(new ImageStore(_store.Location), StallingOptions())
            .PushAsync("local/kept:1", ImageReference.Parse($"{_server.Address}/{Repository}:1"), cancel: TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken), released);
        Assert.Contains("took no more of the upload PUT", stalled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManifestWhoseBodyStallsIsGivenUp()
    {
        using var released = new ManualResetEventSlim();
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.ContentType = MediaTypes.OciManifest;
            response.ContentLength64 = 1000;
            response.OutputStream.Write("{\"schemaVersion\":"u8);
            response.OutputStream.Flush();
            released.Wait(TimeSpan.FromSeconds(30));
        });
        await AssertGivenUpAsync(() => PullWithStallTimeout($"{_server.Address}/{Repository}:1"), released);
    }

    [Fact]
    public void AServiceUnavailableWithRetryAfterIsRetriedWhenItAsks()
    {
        // Before, Retry-After was not read: the retry came after the client's own 0.25 s.
        var (layer, diffId) = BusyboxLayer();
        var (manifest, _) = ServeImage(layer, diffId);
        var asked = new System.Collections.Concurrent.ConcurrentQueue<DateTime>();
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            asked.Enqueue(DateTime.UtcNow);
            if (asked.Count == 1)
            {
                response.StatusCode = 503;
                response.AddHeader("Retry-After", "2");
                return;
            }
            response.ContentType = MediaTypes.OciManifest;
            response.OutputStream.Write(manifest);
        });
        _ps.Run($"Request-ContainerImage '{_server.Address}/{Repository}:1'");
        var times = asked.ToArray();
        Assert.Equal(2, times.Length);
        Assert.InRange((times[1] - times[0]).TotalSeconds, 1.9, 30);
    }

    [Fact]
    public void ATooManyRequestsThatAsksForAnHourIsGivenUpAtOnce()
    {
        // Before, it was asked twice more within a second, each time refused again.
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.StatusCode = 429;
            response.AddHeader("Retry-After", "3600");
        });
        AssertPullFails($"{_server.Address}/{Repository}:1", "RegistryUnavailable", ErrorCategory.ConnectionError,
            message => Assert.Contains("retry after 3600 s", message, StringComparison.Ordinal));
        Assert.Single(_server.Received, r => r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal));
    }

    [Fact]
    public void AManifestShorterThanItsContentLengthIsAConnectionError()
    {
        // Before, the broken-off body surfaced as an I/O error of the store (WriteError) with no target.
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.ContentType = MediaTypes.OciManifest;
            response.ContentLength64 = 1000;
            response.OutputStream.Write("{\"schemaVersion\":"u8);
            response.OutputStream.Flush();
            response.Abort();
        });
        AssertPullFails($"{_server.Address}/{Repository}:1", "DownloadInterrupted", ErrorCategory.ConnectionError);
    }

    [Fact]
    public void AManifestWhoseContentTypeDisagreesWithItsMediaTypeIsRefused()
    {
        // An index served as an image manifest. Before, it was parsed as a manifest and refused for lacking a config.
        string index = $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[]}""";
        _server.OnBytes($"/v2/{Repository}/manifests/1", Encoding.UTF8.GetBytes(index), MediaTypes.OciManifest);
        AssertPullFails($"{_server.Address}/{Repository}:1", "ManifestMediaTypeMismatch", ErrorCategory.InvalidData,
            message => Assert.Contains(MediaTypes.OciIndex, message, StringComparison.Ordinal));
    }

    [Fact]
    public void AnIndexInsideAnIndexIsFollowed()
    {
        // The image spec allows an index to list indexes. Before, the pull called the inner index "not an image manifest or index".
        var (layer, diffId) = BusyboxLayer();
        var (manifest, _) = ServeImage(layer, diffId);
        byte[] inner = Index(Digest.Of(manifest), manifest.Length, MediaTypes.OciManifest);
        _server.OnBytes($"/v2/{Repository}/manifests/{Digest.Of(manifest)}", manifest, MediaTypes.OciManifest);
        _server.OnBytes($"/v2/{Repository}/manifests/{Digest.Of(inner)}", inner, MediaTypes.OciIndex);
        _server.OnBytes($"/v2/{Repository}/manifests/1", Index(Digest.Of(inner), inner.Length, MediaTypes.OciIndex), MediaTypes.OciIndex);
        var pulled = _ps.Run($"Request-ContainerImage '{_server.Address}/{Repository}:1'").Single();
        Assert.Equal(Digest.Of(manifest), pulled.Properties["ManifestDigest"].Value);
    }

    [Fact]
    public void AnUploadLocationRelativeToTheUploadsPathWithItsOwnQueryIsFollowed()
    {
        // Location may be relative (RFC 7231: to the request's URL) and carry its own query. Before, a relative one
        // was resolved against the registry's root.
        string uploads = $"/v2/{Repository}/blobs/uploads/";
        var digests = AcceptUploads();
        _server.On($"/v2/{Repository}/manifests/1", (request, response) =>
        {
            request.InputStream.CopyTo(Stream.Null);
            response.StatusCode = 400;
            response.ContentType = "application/json";
            response.OutputStream.Write("""{"errors":[{"code":"MANIFEST_INVALID","message":"the fake says no"}]}"""u8);
        });
        var result = _ps.Invoke($"Publish-ContainerImage local/kept:1 -Destination '{_server.Address}/{Repository}:1'");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("RegistryRequestRefused,ContainerTools.Cmdlets.PublishContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("the fake says no", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal($"{_server.Address}/{Repository}:1", error.TargetObject);
        Assert.Equal(2, digests.Count); // the layer and the config
        Assert.All(_server.Received.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("session-1", StringComparison.Ordinal)),
            r => Assert.StartsWith(uploads + "session-1?_state=abc&digest=sha256", r.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public void AnArtifactIsRefusedBeforeItsBlobsAreFetched()
    {
        // A Helm chart in an OCI registry: a manifest whose config and layer are not an image's. Before, its blobs were
        // downloaded and the image store then refused the config's media type, naming its digest, not the reference.
        byte[] config = """{"name":"chart","version":"1.0.0"}"""u8.ToArray();
        ServeManifest(config, "application/vnd.cncf.helm.config.v1+json", ("chart"u8.ToArray(), "application/vnd.cncf.helm.chart.content.v1.tar+gzip"));
        AssertPullFails($"{_server.Address}/{Repository}:1", "UnknownMediaType", ErrorCategory.InvalidData,
            message => Assert.Contains("application/vnd.cncf.helm.config.v1+json", message, StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Received, r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public void AForeignLayerIsRefusedBeforeAnyBlobIsFetched()
    {
        // Windows base images list layers that live elsewhere ("urls"); docker on Linux does not fetch them either.
        var (layer, diffId) = BusyboxLayer();
        byte[] config = OciJson.Serialize(new ConfigFile { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [diffId] } }, OciJsonContext.Default.ConfigFile);
        ServeManifest(config, MediaTypes.OciConfig, (layer, "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"));
        AssertPullFails($"{_server.Address}/{Repository}:1", "UnknownMediaType", ErrorCategory.InvalidData,
            message => Assert.Contains("foreign.diff", message, StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Received, r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public void AManifestWithoutLayersPulls()
    {
        // docker build makes one from "FROM scratch" with only metadata; docker pushes and pulls it.
        byte[] config = OciJson.Serialize(new ConfigFile { Architecture = "amd64", Os = "linux", Config = new RunConfig { Cmd = ["true"] } }, OciJsonContext.Default.ConfigFile);
        var manifest = ServeManifest(config, MediaTypes.OciConfig);
        var pulled = _ps.Run($"Request-ContainerImage '{_server.Address}/{Repository}:1'").Single();
        Assert.Equal(Digest.Of(manifest), pulled.Properties["ManifestDigest"].Value);
    }

    [Fact]
    public void AConfigThatIsNotJsonIsRefused()
    {
        ServeManifest("<html>not a config</html>"u8.ToArray(), MediaTypes.OciConfig, ("layer"u8.ToArray(), MediaTypes.OciLayerGzip));
        AssertPullFails($"{_server.Address}/{Repository}:1", "InvalidImageDocument", ErrorCategory.InvalidData);
    }

    [Fact]
    public void AConfigWithMoreDiffIdsThanLayersIsRefused()
    {
        var (layer, diffId) = BusyboxLayer();
        byte[] config = OciJson.Serialize(new ConfigFile { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [diffId, diffId] } }, OciJsonContext.Default.ConfigFile);
        ServeManifest(config, MediaTypes.OciConfig, (layer, MediaTypes.OciLayerGzip));
        AssertPullFails($"{_server.Address}/{Repository}:1", "LayerCountMismatch", ErrorCategory.InvalidData);
    }

    /// <summary>Serves a manifest of <paramref name="config"/> and <paramref name="layers"/> (each blob under its digest) as tag 1; returns it.</summary>
    private byte[] ServeManifest(byte[] config, string configType, params (byte[] Bytes, string MediaType)[] layers)
    {
        _server.OnBytes($"/v2/{Repository}/blobs/{Digest.Of(config)}", config);
        foreach (var (bytes, _) in layers)
            _server.OnBytes($"/v2/{Repository}/blobs/{Digest.Of(bytes)}", bytes);
        byte[] manifest = OciJson.Serialize(new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = configType, Digest = Digest.Of(config), Size = config.Length },
            Layers = layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = Digest.Of(l.Bytes), Size = l.Bytes.Length }).ToList(),
        }, OciJsonContext.Default.Manifest);
        _server.OnBytes($"/v2/{Repository}/manifests/1", manifest, MediaTypes.OciManifest);
        return manifest;
    }

    [Fact]
    public void AnUploadLocationThatIsNotHttpIsRefused()
    {
        _server.On($"/v2/{Repository}/blobs/uploads/", response =>
        {
            response.StatusCode = 202;
            response.AddHeader("Location", "file:///tmp/ctt-registry-upload");
        });
        var before = TestImages.Snapshot(_store.Location);
        var result = _ps.Invoke($"Publish-ContainerImage local/kept:1 -Destination '{_server.Address}/{Repository}:1'");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("UnsafeUploadLocation,ContainerTools.Cmdlets.PublishContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.NotNull(error.TargetObject);
        Assert.Equal(before, TestImages.Snapshot(_store.Location));
        Assert.False(File.Exists("/tmp/ctt-registry-upload"));
    }

    [Fact]
    public void ARegistrysOwnWordsReachTheUserWithoutTerminalControls()
    {
        // Before, an error message with escape sequences went into the ErrorRecord as sent: a registry could retitle
        // the terminal, clear it or hide text in what pwsh prints.
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.StatusCode = 400;
            response.ContentType = "application/json";
            response.OutputStream.Write("""{"errors":[{"code":"DENIED","message":"\u001b]0;owned\u0007\u001b[2Jnothing to see"}]}"""u8);
        });
        AssertPullFails($"{_server.Address}/{Repository}:1", "RegistryRequestRefused", ErrorCategory.InvalidOperation, message =>
        {
            Assert.Contains("nothing to see", message, StringComparison.Ordinal);
            Assert.DoesNotContain(message, char.IsControl);
        });
    }

    [Fact]
    public void AManifestStoredUnderAnotherDigestIsAnError()
    {
        // Before, the push reported whatever digest the registry's Docker-Content-Digest named, as the image's.
        AcceptUploads();
        string other = Digest.Of("another manifest"u8);
        _server.On($"/v2/{Repository}/manifests/1", (request, response) =>
        {
            request.InputStream.CopyTo(Stream.Null);
            response.StatusCode = 201;
            response.AddHeader("Docker-Content-Digest", other);
        });
        var result = _ps.Invoke($"Publish-ContainerImage local/kept:1 -Destination '{_server.Address}/{Repository}:1'");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("ManifestDigestMismatch,ContainerTools.Cmdlets.PublishContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.InvalidData, (object)$"{_server.Address}/{Repository}:1"), (error.CategoryInfo.Category, error.TargetObject));
        Assert.Contains(other, error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMountTheRegistryRefusesFallsBackToAnUpload()
    {
        // Registries without cross-repository mounts may answer 404 or 405 rather than the spec's 202. Before, the
        // push ended there (RegistryObjectNotFound); skopeo uploads the blob instead.
        _ps.Run($"Add-ContainerImageTag local/kept:1 '{_server.Address}/other/image:1'");
        var digests = AcceptUploads();
        string uploads = $"/v2/{Repository}/blobs/uploads/";
        _server.On(uploads, (request, response) =>
        {
            if (request.QueryString["mount"] is not null)
            {
                response.StatusCode = 404;
                response.ContentType = "application/json";
                response.OutputStream.Write("""{"errors":[{"code":"BLOB_UNKNOWN","message":"no mounts here"}]}"""u8);
                return;
            }
            response.StatusCode = 202;
            response.AddHeader("Location", "session-1?_state=abc");
        });
        _server.On($"/v2/{Repository}/manifests/1", (request, response) =>
        {
            request.InputStream.CopyTo(Stream.Null);
            response.StatusCode = 201;
        });
        _ps.Run($"Publish-ContainerImage local/kept:1 -Destination '{_server.Address}/{Repository}:1'");
        Assert.Equal(2, digests.Count);
        Assert.Equal(2, _server.Received.Count(r => r.PathAndQuery.Contains("mount=", StringComparison.Ordinal)));
    }

    /// <summary>The fake takes blob uploads: a POST starts one at a relative Location with a query of its own, a PUT ends it; returns the digests put.</summary>
    private System.Collections.Concurrent.ConcurrentBag<string> AcceptUploads()
    {
        string uploads = $"/v2/{Repository}/blobs/uploads/";
        _server.On(uploads, response =>
        {
            response.StatusCode = 202;
            response.AddHeader("Location", "session-1?_state=abc");
        });
        var digests = new System.Collections.Concurrent.ConcurrentBag<string>();
        _server.On(uploads + "session-1", (request, response) =>
        {
            request.InputStream.CopyTo(Stream.Null);
            digests.Add(request.QueryString["digest"]!);
            response.StatusCode = 201;
        });
        return digests;
    }

    /// <summary>The tag's manifest, served only to a request that carries <paramref name="authorization"/> (401 otherwise).</summary>
    private void ServeManifestOnlyWith(string authorization, byte[] manifest) =>
        _server.On($"/v2/{Repository}/manifests/1", (request, response) =>
        {
            if (request.Headers["Authorization"] != authorization)
            {
                response.StatusCode = 401;
                return;
            }
            response.ContentType = MediaTypes.OciManifest;
            response.OutputStream.Write(manifest);
        });

    /// <summary>Tokens are granted, but the tag's manifest answers every one with insufficient_scope (Docker Hub, for a private or missing repository).</summary>
    private void RefuseTheRepositoryToAnyToken()
    {
        string challenge = ServeTokenChallenge();
        _server.On($"/v2/{Repository}/manifests/1", response =>
        {
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", challenge + $",scope=\"repository:{Repository}:pull\",error=\"insufficient_scope\"");
        });
    }

    /// <summary>$credential for a script: user "user", password "secret" (which no message may show).</summary>
    private static Dictionary<string, object?> Credential() =>
        new() { ["credential"] = new PSCredential("user", new System.Net.NetworkCredential("", "secret").SecurePassword) };

    /// <summary>An image behind Basic auth whose layer's GET is redirected (307) to <paramref name="location"/> of its digest; returns the layer and the manifest.</summary>
    private (byte[] Layer, string LayerDigest, byte[] Manifest) ServeImageBehindBasicAuthWithItsLayerRedirected(Func<string, string> location)
    {
        var (layer, diffId) = BusyboxLayer();
        var (manifest, layerDigest) = ServeImage(layer, diffId);
        RequireBasicAuth();
        _server.OnBytes($"/v2/{Repository}/manifests/1", manifest, MediaTypes.OciManifest);
        _server.On($"/v2/{Repository}/blobs/{layerDigest}", response =>
        {
            response.StatusCode = 307;
            response.RedirectLocation = location(layerDigest);
        });
        return (layer, layerDigest, manifest);
    }

    /// <summary>The fake asks for Basic auth: its /v2/ answers 401 to a request without it.</summary>
    private void RequireBasicAuth() =>
        _server.On("/v2/", (request, response) =>
        {
            if (request.Headers["Authorization"] is null)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"fake\"");
            }
        });

    /// <summary>A Bearer challenge on /v2/ whose realm, on the fake itself, grants a token to anyone; returns the challenge.</summary>
    private string ServeTokenChallenge()
    {
        string challenge = $"Bearer realm=\"http://{_server.Address}/token\",service=\"fake\"";
        _server.On("/v2/", (request, response) =>
        {
            if (request.Headers["Authorization"] is null)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", challenge);
            }
        });
        _server.OnBytes("/token", """{"token":"anything"}"""u8.ToArray(), "application/json");
        return challenge;
    }

    /// <summary>An index of one entry, for this machine.</summary>
    private static byte[] Index(string digest, long size, string mediaType) =>
        Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[{"mediaType":"{{{mediaType}}}","digest":"{{{digest}}}","size":{{{size}}},"platform":{"os":"linux","architecture":"{{{Core.Registry.PlatformSelector.Host.Architecture}}}"}}]}""");

    /// <summary>The test's auth file and a stall limit of 1 s.</summary>
    private Core.Registry.RegistryOptions StallingOptions() => new()
    {
        AuthFile = new Core.Registry.AuthFile(Path.Combine(_store.Path, "auth.json")),
        StallTimeout = TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// Runs an operation against a server that holds it until <paramref name="released"/> (set here, whatever happens)
    /// and returns the RegistryNotResponding it must end in.
    /// </summary>
    private static async Task<Core.EngineException> AssertGivenUpAsync(Func<Task> operation, ManualResetEventSlim released)
    {
        try
        {
            var error = await Assert.ThrowsAsync<Core.EngineException>(operation);
            Assert.Equal(("RegistryNotResponding", Core.ErrorKind.ConnectionError), (error.ErrorId, error.Kind));
            return error;
        }
        finally
        {
            released.Set();
        }
    }

    private Task<Core.Registry.PullResult> PullWithStallTimeout(string reference) =>
        new Core.Registry.ImagePuller(new ImageStore(_store.Location), StallingOptions())
            .PullAsync(ImageReference.Parse(reference), Core.Registry.PlatformSelector.Host, cancel: TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

    /// <summary>Files in layers being unpacked (temp directories of the layer store), not yet visible under a chain ID.</summary>
    private static IEnumerable<string> StagedFiles(string layers) =>
        Directory.Exists(layers)
            ? Directory.EnumerateDirectories(layers, Core.Store.AtomicFile.TempPrefix + "*")
                .SelectMany(temp => Directory.Exists(Path.Combine(temp, "diff")) ? Directory.EnumerateFileSystemEntries(Path.Combine(temp, "diff")) : [])
            : [];

    /// <summary>
    /// Serves a config blob honestly and the layer blob with <paramref name="layerBytes"/>: under a digest of other
    /// bytes, or under its own digest when the layer is real (<paramref name="diffId"/> given) unless
    /// <paramref name="servedAs"/> names another.
    /// </summary>
    /// <summary>A gzip busybox layer and its diff ID.</summary>
    private (byte[] Layer, string DiffId) BusyboxLayer()
    {
        byte[] layer = File.ReadAllBytes(Support.Busybox.CreateRootfsTarball(_store.Scratch("layer")));
        using var gunzip = new System.IO.Compression.GZipStream(new MemoryStream(layer), System.IO.Compression.CompressionMode.Decompress);
        return (layer, Digest.FromHash(System.Security.Cryptography.SHA256.HashData(gunzip)));
    }

    private (byte[] Manifest, string LayerDigest) ServeImage(byte[] layerBytes, string? diffId = null, string? servedAs = null)
    {
        byte[] config = OciJson.Serialize(new ConfigFile { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [diffId ?? Digest.Of("x"u8)] } },
            OciJsonContext.Default.ConfigFile);
        string configDigest = Digest.Of(config);
        string layerDigest = servedAs ?? (diffId is null ? Digest.Of(Encoding.UTF8.GetBytes("the real layer, never sent")) : Digest.Of(layerBytes));
        _server.OnBytes($"/v2/{Repository}/blobs/{configDigest}", config);
        _server.OnBytes($"/v2/{Repository}/blobs/{layerDigest}", layerBytes);
        byte[] manifest = OciJson.Serialize(new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = config.Length },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = layerDigest, Size = layerBytes.Length }],
        }, OciJsonContext.Default.Manifest);
        return (manifest, layerDigest);
    }

    private void AssertPullFails(string reference, string errorId, ErrorCategory category, Action<string>? checkMessage = null)
    {
        var before = TestImages.Snapshot(_store.Location);
        var result = _ps.Invoke($"Request-ContainerImage '{reference}'");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal(errorId + ",ContainerTools.Cmdlets.RequestContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.NotNull(error.TargetObject);
        checkMessage?.Invoke(error.Exception.Message);
        Assert.Equal(before, TestImages.Snapshot(_store.Location));
        Assert.Empty(result.Output);
    }
}
