using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

public enum RegistryAuth
{
    None,
    Htpasswd,
    Token,
}

/// <summary>
/// Debian's docker-registry on a free port of 127.0.0.1, with its config, storage and certificates inside the
/// test's store folder (so TestStore.Dispose kills it even if this Dispose never runs).
/// </summary>
public sealed class LocalRegistry : IDisposable
{
    public const string User = "tester";
    public const string Password = "c0rrect-horse";
    public const string Binary = "/usr/bin/docker-registry";

    private Process _process;
    private readonly StringBuilder _log = new();
    private readonly RegistryAuth _auth;

    private LocalRegistry(TestStore store, bool tls, RegistryAuth auth, TokenService? tokens)
    {
        _auth = auth;
        for (int attempt = 1; ; attempt++)
        {
            Port = HostPorts.Free();
            string dir = store.Scratch("registry-" + Port);
            StorageDirectory = Path.Combine(dir, "storage");
            _process = Serve(WriteConfig(dir, tls, auth, tokens));
            if (Listening())
                return;
            // A port found free can still be taken before the registry binds it (as HostPorts.Listen saw in CI): another one.
            if (attempt == 10 || !_log.ToString().Contains("address already in use", StringComparison.Ordinal))
                throw new InvalidOperationException($"docker-registry exited {_process.ExitCode}: {_log}");
            _process.Dispose();
            _log.Clear();
        }
    }

    public int Port { get; private set; }
    public string Address => $"127.0.0.1:{Port}";
    public string StorageDirectory { get; private set; }

    public static LocalRegistry Start(TestStore store, bool tls = false, RegistryAuth auth = RegistryAuth.None, TokenService? tokens = null) =>
        new(store, tls, auth, tokens);

    /// <summary>
    /// Pushes a one-layer busybox image whose /etc/marker holds <paramref name="marker"/> as
    /// <paramref name="repository"/> (repo:tag) from a throwaway store, so the caller's store stays as it was.
    /// Returns the image's full name.
    /// </summary>
    public string Publish(string repository, string marker)
    {
        string name = $"{Address}/{repository}";
        using var publisher = new TestStore();
        TestImages.Busybox(publisher, name, marker: marker);
        var options = new RegistryOptions
        {
            Credential = _auth == RegistryAuth.Htpasswd ? new RegistryCredential(User, Password) : null,
            SkipCertificateCheck = true,
            AuthFile = new AuthFile(System.IO.Path.Combine(publisher.Path, "auth.json")),
        };
        new ImagePusher(new ImageStore(publisher.Location), options).PushAsync(name, null).GetAwaiter().GetResult();
        return name;
    }

    private string WriteConfig(string dir, bool tls, RegistryAuth auth, TokenService? tokens)
    {
        var config = new StringBuilder($"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {StorageDirectory}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}
            """);
        config.Append('\n');
        if (tls)
        {
            var (certificate, key) = TestCertificates.WritePem(dir, "registry");
            config.Append($"  tls:\n    certificate: {certificate}\n    key: {key}\n");
        }
        if (auth == RegistryAuth.Htpasswd)
        {
            string htpasswd = Path.Combine(dir, "htpasswd");
            File.WriteAllText(htpasswd, Tool.Run("htpasswd", "-Bbn", User, Password));
            config.Append($"auth:\n  htpasswd:\n    realm: test\n    path: {htpasswd}\n");
        }
        if (auth == RegistryAuth.Token)
        {
            var service = tokens ?? throw new ArgumentNullException(nameof(tokens));
            config.Append($"auth:\n  token:\n    realm: {service.Realm}\n    service: {TokenService.Service}\n    issuer: {TokenService.Issuer}\n    rootcertbundle: {service.CertificateBundle}\n");
        }
        string configPath = Path.Combine(dir, "config.yml");
        File.WriteAllText(configPath, config.ToString());
        return configPath;
    }

    private Process Serve(string configPath)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>True once it accepts connections; false when it exited instead.</summary>
    private bool Listening()
    {
        for (int i = 0; i < 200; i++)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();  // its output read to the end
                return false;
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException($"docker-registry did not listen on {Address}: {_log}");
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // exited already
        }
        _process.Dispose();
    }
}

/// <summary>Self-signed certificates the tests make for 127.0.0.1 (TLS and token signing).</summary>
public static class TestCertificates
{
    public static X509Certificate2 Create(RSA key)
    {
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>Writes a fresh certificate and its key as PEM files; returns their paths.</summary>
    public static (string Certificate, string Key) WritePem(string dir, string name)
    {
        using var key = RSA.Create(2048);
        using var certificate = Create(key);
        string certificatePath = Path.Combine(dir, name + ".crt");
        string keyPath = Path.Combine(dir, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
