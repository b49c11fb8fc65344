using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;

namespace ContainerTools.Core.Registry;

/// <summary>
/// The OCI distribution API of one registry over HttpClient: the /v2/ ping (HTTPS, plain HTTP for loopback hosts
/// or when allowed), answering auth challenges, manifests with a size limit, blobs, uploads and cross-repository
/// mounts. Transient failures (connection refused, 429, 502-504) are retried a bounded number of times; redirects
/// are followed at most <see cref="Redirects.MaxRedirects"/> times; a server that sends nothing for the stall timeout is given up.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    /// <summary>Registries refuse manifests over 4 MiB; so do we.</summary>
    public const int MaxManifestSize = 4 * 1024 * 1024;
    private const int MaxErrorBodySize = 64 * 1024;

    private static readonly string[] ManifestTypes =
        [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest];

    private readonly HttpClient _http;
    private readonly RegistryAuthenticator _auth;
    private readonly RegistryOptions _options;
    private readonly SemaphoreSlim _pingOnce = new(1, 1);
    private Uri? _base;

    /// <param name="repository">The repository the client is for: a stored login for a namespace holding it comes before one for the whole registry.</param>
    public RegistryClient(string registry, RegistryOptions options, string? repository = null)
    {
        Registry = registry;
        _options = options;
        _http = CreateHttpClient(options.SkipCertificateCheck);
        _auth = new RegistryAuthenticator(_http, registry, options.Credential ?? options.AuthFile.Find(registry, repository), options);
    }

    /// <summary>The registry as images name it (docker.io, localhost:5000).</summary>
    public string Registry { get; }

    /// <summary>The host that serves the API: Docker Hub's is registry-1.docker.io.</summary>
    public static string ApiHost(string registry) => registry == "docker.io" ? "registry-1.docker.io" : registry;

    /// <summary>Finds the registry's endpoint and, with a credential, proves the registry accepts it (what a login checks).</summary>
    public async Task LoginAsync(CancellationToken cancel = default)
    {
        var challenge = await PingAsync(cancel);
        if (challenge is null)
            return; // an open registry: nothing to check
        if (challenge.IsBearer)
        {
            await _auth.FetchLoginTokenAsync(challenge, cancel);
            return;
        }
        await _auth.AnswerAsync(challenge, "", cancel);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/v2/"), "", cancel);
        await EnsureSuccessAsync(response, Registry, cancel);
    }

    public async Task<RegistryManifest> GetManifestAsync(string repository, string reference, CancellationToken cancel = default)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
            foreach (string type in ManifestTypes)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, PullScope(repository), cancel);
        string target = $"{Registry}/{repository}:{reference}";
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new EngineException("ManifestNotFound", ErrorKind.NotFound, target, $"Registry {Registry} has no image {repository} with tag or digest '{reference}'.");
        await EnsureSuccessAsync(response, target, cancel);
        byte[] content = await BoundedContent.ReadAsync(response.Content, MaxManifestSize, _options.StallTimeout, "manifest of " + target, target, cancel);
        string digest = Digest.Of(content);
        string? claimed = reference.Contains(':') ? reference : response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (claimed is not null && claimed.StartsWith(Digest.Sha256Prefix, StringComparison.Ordinal) && claimed != digest)
            throw new EngineException("ManifestDigestMismatch", ErrorKind.InvalidData, target,
                $"The manifest of {target} does not match its digest {claimed} (it hashes to {digest}).");
        string? served = response.Content.Headers.ContentType?.MediaType;
        return new RegistryManifest(content, MediaTypeOf(content, ManifestTypes.Contains(served) ? served : null, target), digest);
    }

    public async Task<bool> HasBlobAsync(string repository, string digest, CancellationToken cancel = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"), PullScope(repository), cancel);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, digest, cancel);
        return true;
    }

    /// <summary>The blob's bytes as they stream in; the caller verifies them against the digest.</summary>
    public async Task<Stream> OpenBlobAsync(string repository, string digest, CancellationToken cancel = default)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}"), PullScope(repository), cancel);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new EngineException("BlobNotFound", ErrorKind.NotFound, digest, $"Registry {Registry} has no blob {digest} in {repository}.");
            await EnsureSuccessAsync(response, digest, cancel);
            return await response.Content.ReadAsStreamAsync(cancel); // disposing it releases the response
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Mounts the blob from <paramref name="fromRepository"/> of the same registry; false when the registry would not or could not.</summary>
    public async Task<bool> TryMountBlobAsync(string repository, string digest, string fromRepository, CancellationToken cancel = default)
    {
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(fromRepository)}"),
            PushScope(repository) + " " + PullScope(fromRepository), cancel);
        if (response.StatusCode == HttpStatusCode.Created)
            return true;
        // 202: the registry started an upload instead. A refusal (404 or 405 from registries without mounts) also
        // leaves the blob to be uploaded, as skopeo does: the upload reports what is really wrong, if anything.
        if (response.StatusCode == HttpStatusCode.Accepted)
            await CancelUploadAsync(response, repository, cancel);
        return false;
    }

    /// <summary>Uploads a blob in one PUT; <paramref name="open"/> is called again for a retry.</summary>
    public async Task UploadBlobAsync(string repository, string digest, long size, Func<Stream> open, CancellationToken cancel = default)
    {
        Uri location;
        using (var started = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/"), PushScope(repository), cancel))
        {
            await EnsureSuccessAsync(started, digest, cancel);
            location = UploadLocation(started, digest);
        }
        string separator = location.Query.Length > 0 ? "&" : "?";
        var target = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest));
        using var response = await SendAsync(() =>
        {
            var content = new StreamContent(open());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = size;
            return new HttpRequestMessage(HttpMethod.Put, target) { Content = content };
        }, PushScope(repository), cancel);
        await EnsureSuccessAsync(response, digest, cancel);
    }

    /// <summary>Stores a manifest under a tag (or its digest); returns its digest, which the registry must agree with.</summary>
    public async Task<string> PutManifestAsync(string repository, string reference, RegistryManifest manifest, CancellationToken cancel = default)
    {
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(manifest.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}") { Content = content };
        }, PushScope(repository), cancel);
        string target = $"{Registry}/{repository}:{reference}";
        await EnsureSuccessAsync(response, target, cancel);
        // Registries store a manifest byte for byte: one naming another sha256 digest stored something else.
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.First() is var claimed
            && claimed.StartsWith(Digest.Sha256Prefix, StringComparison.Ordinal) && claimed != manifest.Digest)
            throw new EngineException("ManifestDigestMismatch", ErrorKind.InvalidData, target,
                $"Registry {Registry} names the manifest it stored for {target} {ServerText.Printable(claimed)}, but the manifest sent is {manifest.Digest}.");
        return manifest.Digest;
    }

    public void Dispose()
    {
        _http.Dispose();
        _pingOnce.Dispose();
    }

    private static string PullScope(string repository) => $"repository:{repository}:pull";

    private static string PushScope(string repository) => $"repository:{repository}:pull,push";

    /// <summary>
    /// Sends a request made by <paramref name="make"/> (called again for each attempt) with the auth for
    /// <paramref name="scope"/>; answers one 401 challenge; retries transient failures with a doubling delay.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, string scope, CancellationToken cancel)
    {
        await PingAsync(cancel);
        await _auth.PrepareAsync(scope, cancel);
        bool answered = false;
        var delay = _options.RetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            using var request = make();
            if (!request.RequestUri!.IsAbsoluteUri)
                request.RequestUri = new Uri(_base!, request.RequestUri);
            request.Headers.Authorization = _auth.HeaderFor(scope);
            HttpResponseMessage response;
            try
            {
                response = await Redirects.SendAsync(_http, request, _base!, _options.StallTimeout, Registry, cancel);
            }
            catch (HttpRequestException e) when (IsTransient(e) && attempt < _options.MaxAttempts)
            {
                await Task.Delay(delay, cancel);
                delay *= 2;
                continue;
            }
            catch (HttpRequestException e)
            {
                throw Unreachable(e, attempt);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var challenge = AuthChallenge.From(response);
                response.Dispose();
                if (answered || challenge is null)
                    throw _auth.Refused(challenge, scope);
                await _auth.AnswerAsync(challenge, scope, cancel);
                answered = true;
                attempt--; // answering a challenge is not a failed attempt
                continue;
            }
            // A Retry-After is honoured up to MaxRetryAfter; a longer one ends the request now rather than in hours.
            if (IsTransient(response.StatusCode) && attempt < _options.MaxAttempts && RetryAfter(response) is var asked && !(asked > _options.MaxRetryAfter))
            {
                response.Dispose();
                await Task.Delay(asked > delay ? asked.Value : delay, cancel);
                delay *= 2;
                continue;
            }
            return response;
        }
    }

    /// <summary>
    /// Finds the API root once: HTTPS first; plain HTTP when the host is loopback or HTTP is allowed. A server
    /// that answers /v2/ with 200 or 401 is a registry; a 401's challenge is remembered for the first request.
    /// </summary>
    private async Task<AuthChallenge?> PingAsync(CancellationToken cancel)
    {
        await _pingOnce.WaitAsync(cancel);
        try
        {
            if (_base is not null)
                return null;
            string host = ApiHost(Registry);
            var schemes = _options.AllowHttp || IsLoopback(host) ? new[] { "https", "http" } : ["https"];
            var delay = _options.RetryDelay;
            HttpRequestException? firstError = null;
            for (int attempt = 1; ; attempt++)
            {
                firstError = null;
                bool transient = false;
                foreach (string scheme in schemes)
                {
                    var root = new Uri($"{scheme}://{host}/");
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, "/v2/"));
                        using var response = await Redirects.SendAsync(_http, request, root, _options.StallTimeout, Registry, cancel);
                        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                        {
                            _base = root;
                            var challenge = AuthChallenge.From(response);
                            _auth.Observe(challenge);
                            return challenge;
                        }
                        if (IsTransient(response.StatusCode))
                            transient = true;
                    }
                    catch (HttpRequestException e)
                    {
                        firstError ??= e;
                        transient |= IsTransient(e);
                    }
                }
                if (firstError?.HttpRequestError == HttpRequestError.SecureConnectionError && firstError.InnerException is AuthenticationException && !transient)
                    throw new EngineException("RegistryCertificateInvalid", ErrorKind.SecurityError, Registry,
                        $"The TLS certificate of {Registry} is not trusted ({firstError.InnerException.Message}). For a registry with a self-signed certificate use -SkipCertificateCheck.", firstError);
                if (!transient || attempt >= _options.MaxAttempts)
                    throw firstError is null
                        ? new EngineException("NotARegistry", ErrorKind.InvalidData, Registry, $"{Registry} does not answer the registry API (/v2/).")
                        : Unreachable(firstError, attempt);
                await Task.Delay(delay, cancel);
                delay *= 2;
            }
        }
        finally
        {
            _pingOnce.Release();
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, object target, CancellationToken cancel)
    {
        if (response.IsSuccessStatusCode)
            return;
        string detail = await ErrorDetailAsync(response, cancel);
        var (id, kind) = response.StatusCode switch
        {
            HttpStatusCode.Forbidden => ("RegistryAccessDenied", ErrorKind.PermissionDenied),
            HttpStatusCode.NotFound => ("RegistryObjectNotFound", ErrorKind.NotFound),
            HttpStatusCode.RequestEntityTooLarge => ("RegistryLimitExceeded", ErrorKind.LimitsExceeded),
            >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests => ("RegistryUnavailable", ErrorKind.ConnectionError),
            _ => ("RegistryRequestRefused", ErrorKind.InvalidOperation),
        };
        string retry = RetryAfter(response) is { } after ? $" It asks for a retry after {after.TotalSeconds:0} s." : "";
        throw new EngineException(id, kind, target,
            $"Registry {Registry} answered {(int)response.StatusCode} {ServerText.Printable(response.ReasonPhrase)} to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}{detail}{retry}");
    }

    /// <summary>The wait a 429 or 503 asks for (Retry-After, in seconds or as a date), when it names one.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > DateTimeOffset.UtcNow ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The registry's own words: the "errors" array of the distribution spec, when it sent one.</summary>
    private async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        try
        {
            byte[] body = await BoundedContent.ReadAsync(response.Content, MaxErrorBodySize, _options.StallTimeout, "error", null, cancel);
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                return ": " + string.Join("; ", errors.EnumerateArray()
                    .Select(e => ServerText.Printable(e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.ToString() : e.ToString())));
        }
        catch (Exception e) when (e is JsonException or EngineException or HttpRequestException)
        {
        }
        return ".";
    }

    private async Task CancelUploadAsync(HttpResponseMessage started, string repository, CancellationToken cancel)
    {
        if (started.Headers.Location is null)
            return;
        var location = UploadLocation(started, repository);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, location), PushScope(repository), cancel);
    }

    /// <summary>
    /// Where an upload goes on: a relative Location is relative to the request's URL (RFC 7231), as Go's clients
    /// read it. The blob and the credential go there, so it must be HTTP(S), and not plain HTTP for an HTTPS registry.
    /// </summary>
    private Uri UploadLocation(HttpResponseMessage response, string target)
    {
        if (response.Headers.Location is not Uri location)
            throw new EngineException("InvalidUploadResponse", ErrorKind.InvalidData, target, $"Registry {Registry} started an upload without a Location.");
        var from = response.RequestMessage!.RequestUri!;
        var to = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (!Redirects.IsSafe(from, to))
            throw new EngineException("UnsafeUploadLocation", ErrorKind.SecurityError, target,
                $"Registry {Registry} named {to.AbsoluteUri} as the place to upload to; refused: only HTTP(S) is used, and never plain HTTP for an HTTPS registry.");
        return to;
    }

    /// <summary>
    /// The manifest's media type: the one its body declares, which must agree with the Content-Type it was served
    /// with when that names a manifest type; else that Content-Type; else what its members say (an OCI manifest or
    /// index may omit mediaType). A body that is no JSON object and was served as a manifest type is left to the
    /// document's own parse to name what is wrong.
    /// </summary>
    private static string MediaTypeOf(byte[] content, string? served, string target)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(content);
        }
        catch (JsonException) when (served is not null)
        {
            return served;
        }
        catch (JsonException e)
        {
            throw new EngineException("InvalidManifest", ErrorKind.InvalidData, target, $"The manifest of {target} is not valid JSON: {e.Message}", e);
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return served ?? throw new EngineException("InvalidManifest", ErrorKind.InvalidData, target, $"The manifest of {target} is not a JSON object.");
            string? declared = root.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            if (declared is not null && served is not null && declared != served)
                throw new EngineException("ManifestMediaTypeMismatch", ErrorKind.InvalidData, target,
                    $"The manifest of {target} was served as '{served}' but declares itself '{ServerText.Printable(declared)}'.");
            return declared ?? served ?? (root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest);
        }
    }

    private EngineException Unreachable(HttpRequestException e, int attempts) =>
        new("RegistryUnreachable", ErrorKind.ConnectionError, Registry,
            $"Registry {Registry} cannot be reached ({attempts} attempt{(attempts == 1 ? "" : "s")}): {e.Message}", e);

    private static bool IsTransient(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.NameResolutionError;

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool IsLoopback(string host)
    {
        string name = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return name == "localhost" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    private static HttpClient CreateHttpClient(bool skipCertificateCheck)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // followed by Redirects, which decides where the credential may go
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AutomaticDecompression = DecompressionMethods.None, // blobs are verified byte for byte
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (skipCertificateCheck)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
