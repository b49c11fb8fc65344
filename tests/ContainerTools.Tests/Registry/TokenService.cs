using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// A token service as Docker's token auth expects (the registry's <c>auth: token</c> realm): GET /token with
/// service, scope and Basic credentials answers a JWT (RS256, x5c chain) granting the requested actions. It
/// refuses requests without the right credential. Runs on HttpListener on 127.0.0.1.
/// </summary>
public sealed class TokenService : IDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "test-token-issuer";

    private readonly HttpListener _listener;
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;

    public TokenService(string dir)
    {
        _certificate = TestCertificates.Create(_key);
        CertificateBundle = Path.Combine(dir, "token-bundle.pem");
        File.WriteAllText(CertificateBundle, _certificate.ExportCertificatePem());
        (_listener, int port) = HostPorts.Listen();
        Realm = $"http://127.0.0.1:{port}/token";
        _loop = Task.Run(ServeAsync);
    }

    public string Realm { get; }
    public string CertificateBundle { get; }

    private int _requests;

    /// <summary>How many tokens were asked for (a client should reuse them).</summary>
    public int Requests => Volatile.Read(ref _requests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            using var response = context.Response;
            if (!Authorized(context.Request.Headers["Authorization"]))
            {
                response.StatusCode = 401;
                continue;
            }
            string token = Sign(context.Request.QueryString.GetValues("scope") ?? [], context.Request.QueryString["service"]);
            byte[] body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = token, ["access_token"] = token, ["expires_in"] = 300 }.ToJsonString());
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body);
        }
    }

    private static bool Authorized(string? header) =>
        header is not null && header.StartsWith("Basic ", StringComparison.Ordinal)
            && Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])) == LocalRegistry.User + ":" + LocalRegistry.Password;

    private string Sign(string[] scopes, string? service)
    {
        var access = new JsonArray();
        foreach (string scope in scopes.SelectMany(s => s.Split(' ')))
        {
            string[] parts = scope.Split(':');
            if (parts.Length == 3)
                access.Add(new JsonObject { ["type"] = parts[0], ["name"] = parts[1], ["actions"] = new JsonArray(parts[2].Split(',').Select(a => (JsonNode)a).ToArray()) });
        }
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = LocalRegistry.User, ["aud"] = service ?? Service,
            ["exp"] = now + 300, ["nbf"] = now - 60, ["iat"] = now, ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        string signed = Base64Url(header.ToJsonString()) + "." + Base64Url(claims.ToJsonString());
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(5000);
        }
        catch (AggregateException)
        {
        }
        _certificate.Dispose();
        _key.Dispose();
    }
}
