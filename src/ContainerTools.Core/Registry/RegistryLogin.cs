namespace ContainerTools.Core.Registry;

/// <summary>A stored login: which registry (or namespace of one, "quay.io/org"), as whom, in which auth file.</summary>
public sealed record RegistryLogin(string Registry, string UserName, string AuthFile)
{
    /// <summary>Checks the credential against the registry, then stores it (Connect-ContainerRegistry, `podman login`).</summary>
    public static async Task<RegistryLogin> ConnectAsync(string registry, RegistryOptions options, CancellationToken cancel = default)
    {
        string key = RegistryName.LoginKey(registry);
        registry = RegistryName.Normalize(registry);
        var credential = options.Credential
            ?? throw new EngineException("CredentialRequired", ErrorKind.InvalidArgument, key, "A login needs a credential.");
        using (var client = new RegistryClient(registry, options))
            await client.LoginAsync(cancel);
        options.AuthFile.Store(key, credential);
        return new RegistryLogin(key, credential.UserName, options.AuthFile.Path);
    }

    /// <summary>Removes the stored login (Disconnect-ContainerRegistry, `podman logout`).</summary>
    public static void Disconnect(string registry, AuthFile authFile)
    {
        registry = RegistryName.LoginKey(registry);
        if (!authFile.Remove(registry))
            throw new EngineException("NotLoggedIn", ErrorKind.NotFound, registry, $"There is no stored login for {registry} in {authFile.Path}.");
    }
}
