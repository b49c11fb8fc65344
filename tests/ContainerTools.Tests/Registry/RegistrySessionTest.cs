using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// The shape of the tests that talk to registries they start: a store of their own, a session on it whose logins
/// go to an auth file in the test's folder ($credential holds the fixture registries' login), and the servers
/// they start. Dispose undoes it all, even after a failed test.
/// </summary>
public abstract class RegistrySessionTest : IDisposable
{
    private readonly List<IDisposable> _servers = [];

    protected RegistrySessionTest()
    {
        // xunit disposes only what it constructed: a failing set-up must undo itself.
        try
        {
            Ps = new PowerShellSession(Store);
            Ps.Run("$null", new Dictionary<string, object?>
            {
                ["ContainerToolsAuthFile"] = AuthFilePath,
                ["credential"] = Credential(LocalRegistry.Password),
            });
        }
        catch
        {
            Ps?.Dispose();
            Store.Dispose();
            throw;
        }
    }

    protected TestStore Store { get; } = new();
    protected PowerShellSession Ps { get; }
    protected string AuthFilePath => Path.Combine(Store.Path, "auth", "auth.json");

    /// <summary>Keeps a server (a registry, a token service) until the test ends.</summary>
    protected T Serve<T>(T server) where T : IDisposable
    {
        _servers.Add(server);
        return server;
    }

    protected static PSCredential Credential(string password) =>
        new(LocalRegistry.User, new System.Net.NetworkCredential("", password).SecurePassword);

    public void Dispose()
    {
        Ps.Dispose();
        foreach (var server in Enumerable.Reverse(_servers))
            server.Dispose();
        Store.Dispose();
        GC.SuppressFinalize(this);
    }
}
