using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ContainerTools.Core.Registry;

/// <summary>
/// Answers a registry's challenges: Basic with the credential, or Bearer by asking the challenge's realm for a
/// token for the service and scope (Docker's token protocol), with the credential as Basic auth when there is
/// one and anonymously otherwise. Tokens are kept per scope for the life of the client.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private const int MaxTokenResponseSize = 1 << 20;

    private readonly HttpClient _http;
    private readonly string _registry;
    private readonly RegistryCredential? _credential;
    private readonly RegistryOptions _options;
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _headers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile AuthChallenge? _challenge;

    public RegistryAuthenticator(HttpClient http, string registry, RegistryCredential? credential, RegistryOptions options)
    {
        _http = http;
        _registry = registry;
        _credential = credential;
        _options = options;
    }

    /// <summary>The header to send for <paramref name="scope"/>, when a challenge has been answered for it.</summary>
    public AuthenticationHeaderValue? HeaderFor(string scope)
    {
        var challenge = _challenge;
        if (challenge is null)
            return null;
        if (challenge.IsBasic)
            return _credential is null ? null : new AuthenticationHeaderValue("Basic", _credential.Encoded);
        return _headers.TryGetValue(scope, out var header) ? header : null;
    }

    /// <summary>Remembers the registry's challenge (from its /v2/ ping or a 401) without answering it yet.</summary>
    public void Observe(AuthChallenge? challenge)
    {
        if (challenge is not null)
            _challenge = challenge;
    }

    /// <summary>
    /// Fetches the token for <paramref name="scope"/> before the first request when the registry is known to want
    /// one, so parallel blob requests share one token instead of each meeting a 401 and asking for its own.
    /// </summary>
    public async Task PrepareAsync(string scope, CancellationToken cancel)
    {
        if (_challenge is not { IsBearer: true } challenge || _headers.ContainsKey(scope))
            return;
        await _fetching.WaitAsync(cancel);
        try
        {
            if (!_headers.ContainsKey(scope))
                await AnswerAsync(challenge, scope, cancel);
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>Answers <paramref name="challenge"/> for <paramref name="scope"/>; throws when it cannot be answered.</summary>
    public async Task AnswerAsync(AuthChallenge challenge, string scope, CancellationToken cancel)
    {
        _challenge = challenge;
        if (challenge.IsBasic)
        {
            if (_credential is null)
                throw AuthenticationRequired();
            return;
        }
        if (!challenge.IsBearer || challenge["realm"] is not string realm)
            throw new EngineException("UnsupportedAuthentication", ErrorKind.NotImplemented, _registry,
                $"Registry {_registry} asks for '{challenge.Scheme}' authentication, which is not supported (Basic and Bearer are).");
        _headers[scope] = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(realm, challenge["service"], scope, cancel));
    }

    /// <summary>Asks the token service for a token for no repository: what a login does to check the credential.</summary>
    public Task<string> FetchLoginTokenAsync(AuthChallenge challenge, CancellationToken cancel) =>
        FetchTokenAsync(challenge["realm"] ?? throw AuthenticationRequired(), challenge["service"], "", cancel);

    private async Task<string> FetchTokenAsync(string realm, string? service, string scope, CancellationToken cancel)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
            throw new EngineException("InvalidAuthRealm", ErrorKind.InvalidData, _registry, $"Registry {_registry} names an invalid token realm '{realm}'.");
        // A credential travels over plain HTTP only where the registry itself may: to a loopback host, or when allowed.
        if (_credential is not null && realmUri.Scheme == "http" && !realmUri.IsLoopback && !_options.AllowHttp)
            throw new EngineException("InsecureAuthRealm", ErrorKind.SecurityError, _registry,
                $"Registry {_registry} asks for its credentials at {realm}, over plain HTTP; they were not sent (-AllowHttp allows it).");
        var query = new List<string>();
        if (service is not null)
            query.Add("service=" + Uri.EscapeDataString(service));
        foreach (string part in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            query.Add("scope=" + Uri.EscapeDataString(part));
        if (_credential is not null)
            query.Add("account=" + Uri.EscapeDataString(_credential.UserName));
        var uri = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (_credential is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _credential.Encoded);
        HttpResponseMessage response;
        try
        {
            response = await Redirects.SendAsync(_http, request, realmUri, _options.StallTimeout, _registry, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new EngineException("TokenServiceUnreachable", ErrorKind.ConnectionError, realm, $"The token service {realm} of {_registry} cannot be reached: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw _credential is null ? AuthenticationRequired() : WrongCredential();
            if (!response.IsSuccessStatusCode)
                throw new EngineException("TokenRequestFailed", ErrorKind.AuthenticationError, realm,
                    $"The token service {realm} of {_registry} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            byte[] body = await BoundedContent.ReadAsync(response.Content, MaxTokenResponseSize, _options.StallTimeout, "token response", realm, cancel);
            return ParseToken(body, realm);
        }
    }

    private string ParseToken(byte[] body, string realm)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (string name in new[] { "token", "access_token" })
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var token)
                    && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value)
                    return value;
            }
        }
        catch (JsonException)
        {
        }
        throw new EngineException("InvalidTokenResponse", ErrorKind.InvalidData, realm, $"The token service {realm} of {_registry} sent no token.");
    }

    /// <summary>
    /// Why a request answered for <paramref name="scope"/> met a 401 again (<paramref name="challenge"/>): no login,
    /// a login without access to the repository (the token protocol's insufficient_scope), or a wrong one.
    /// </summary>
    public EngineException Refused(AuthChallenge? challenge, string scope)
    {
        bool outOfScope = challenge?["error"] == "insufficient_scope";
        if (_credential is null)
            return outOfScope
                ? new("RegistryAuthenticationRequired", ErrorKind.AuthenticationError, _registry,
                    $"Registry {_registry} refused anonymous access to {scope}: the repository may not exist, or may require a login (Connect-ContainerRegistry or -Credential).")
                : AuthenticationRequired();
        return outOfScope
            ? new("RegistryAccessDenied", ErrorKind.PermissionDenied, _registry,
                $"Registry {_registry} does not give '{_credential.UserName}' access to {scope}: the repository may not exist, or the login may lack the right.")
            : WrongCredential();
    }

    public EngineException AuthenticationRequired() =>
        new("RegistryAuthenticationRequired", ErrorKind.AuthenticationError, _registry,
            $"Registry {_registry} requires a login: use Connect-ContainerRegistry or -Credential.");

    public EngineException WrongCredential() =>
        new("RegistryAuthenticationFailed", ErrorKind.AuthenticationError, _registry,
            $"Registry {_registry} refused the credentials of '{_credential?.UserName}'.");
}
