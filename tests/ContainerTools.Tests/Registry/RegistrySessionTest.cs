using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// A test that talks to registries it starts: its session's logins go to an auth file in the test's folder,
/// $credential holds the fixture registries' login, and the servers it starts stop when it ends.
/// </summary>
public abstract class RegistrySessionTest() : SessionTest(ps => ps.Run("$null", new Dictionary<string, object?>
{
    ["ContainerToolsAuthFile"] = AuthFileIn(ps.Store),
    ["credential"] = Credential(LocalRegistry.Password),
}))
{
    private readonly List<IDisposable> _servers = [];

    protected string AuthFilePath => AuthFileIn(Store);

    /// <summary>Keeps a server (a registry, a token service) until the test ends.</summary>
    protected T Serve<T>(T server) where T : IDisposable
    {
        _servers.Add(server);
        return server;
    }

    protected static PSCredential Credential(string password) =>
        new(LocalRegistry.User, new System.Net.NetworkCredential("", password).SecurePassword);

    public override void Dispose()
    {
        foreach (var server in Enumerable.Reverse(_servers))
            server.Dispose();
        base.Dispose();
    }

    private static string AuthFileIn(TestStore store) => Path.Combine(store.Path, "auth", "auth.json");
}
