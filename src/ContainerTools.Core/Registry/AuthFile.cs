using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Registry;

/// <summary>
/// Stored registry logins in the containers-auth.json(5) format that Podman, Buildah and skopeo share:
/// <c>{"auths": {"host[:port]": {"auth": base64("user:password")}}}</c>. Logins are written to <see cref="Path"/>
/// and read from it, then from the read-only <see cref="Fallbacks"/> (~/.config/containers/auth.json and
/// Docker's ~/.docker/config.json, which has the same "auths" shape). Other members of the file are kept.
/// </summary>
public sealed class AuthFile
{
    private const string DockerHubLegacyKey = "https://index.docker.io/v1/";
    private static readonly string[] DockerHubAliases = ["index.docker.io", "registry-1.docker.io"];

    public AuthFile(string path, IReadOnlyList<string>? fallbacks = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        Fallbacks = fallbacks ?? [];
    }

    public string Path { get; }
    public IReadOnlyList<string> Fallbacks { get; }

    /// <summary>
    /// The file podman would use: $REGISTRY_AUTH_FILE, else ${XDG_RUNTIME_DIR}/containers/auth.json, else
    /// /run/containers/&lt;uid&gt;/auth.json; read fallbacks ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json
    /// and ${DOCKER_CONFIG:-~/.docker}/config.json.
    /// </summary>
    public static AuthFile Default()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (Variable("REGISTRY_AUTH_FILE") is string explicitPath)
            return new AuthFile(explicitPath);
        string path = Variable("XDG_RUNTIME_DIR") is string runtime
            ? System.IO.Path.Combine(runtime, "containers", "auth.json")
            : $"/run/containers/{Tmds.Linux.LibC.geteuid()}/auth.json";
        string config = Variable("XDG_CONFIG_HOME") ?? System.IO.Path.Combine(home, ".config");
        string docker = Variable("DOCKER_CONFIG") ?? System.IO.Path.Combine(home, ".docker");
        return new AuthFile(path, [System.IO.Path.Combine(config, "containers", "auth.json"), System.IO.Path.Combine(docker, "config.json")]);
    }

    /// <summary>The stored login for a registry (or for a repository of it: "host/namespace" keys are honoured, the longest wins).</summary>
    public RegistryCredential? Find(string registry, string? repository = null)
    {
        foreach (string file in Fallbacks.Prepend(Path))
        {
            if (Read(file)?["auths"] is not JsonObject auths)
                continue;
            var best = auths
                .Select(entry => (Key: Normalize(entry.Key), Entry: entry.Value))
                .Where(entry => Matches(entry.Key, registry, repository))
                .OrderByDescending(entry => entry.Key.Length)
                .Select(entry => RegistryCredential.Decode(entry.Entry?["auth"]?.GetValue<string>()))
                .FirstOrDefault(credential => credential is not null);
            if (best is not null)
                return best;
        }
        return null;
    }

    /// <summary>Writes (or replaces) the login for <paramref name="registry"/>; the file is made 0600.</summary>
    public void Store(string registry, RegistryCredential credential)
    {
        var document = Read(Path) ?? new JsonObject();
        if (document["auths"] is not JsonObject auths)
            document["auths"] = auths = new JsonObject();
        auths[registry] = new JsonObject { ["auth"] = credential.Encoded };
        Write(document);
    }

    /// <summary>Removes the login for <paramref name="registry"/>; false when there was none.</summary>
    public bool Remove(string registry)
    {
        if (Read(Path) is not JsonObject document || document["auths"] is not JsonObject auths)
            return false;
        var keys = auths.Select(entry => entry.Key).Where(key => Normalize(key) == Normalize(registry)).ToList();
        foreach (string key in keys)
            auths.Remove(key);
        if (keys.Count > 0)
            Write(document);
        return keys.Count > 0;
    }

    /// <summary>The registries that have a login in <see cref="Path"/>.</summary>
    public IReadOnlyList<string> Registries() =>
        Read(Path)?["auths"] is JsonObject auths ? auths.Select(entry => entry.Key).ToList() : [];

    private void Write(JsonNode document)
    {
        string directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        byte[] json = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        AtomicFile.WriteAllBytes(Path, json, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static JsonObject? Read(string file)
    {
        if (!File.Exists(file))
            return null;
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(file)) as JsonObject
                ?? throw new JsonException("the top level is not an object");
        }
        catch (JsonException e)
        {
            throw new EngineException("InvalidAuthFile", ErrorKind.InvalidData, file, $"The auth file {file} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Keys may carry a scheme and path ("https://index.docker.io/v1/"); Docker Hub has several names.</summary>
    private static string Normalize(string key)
    {
        if (key == DockerHubLegacyKey)
            return "docker.io";
        int scheme = key.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            key = key[(scheme + 3)..].TrimEnd('/');
        foreach (string alias in DockerHubAliases)
        {
            if (key == alias || key.StartsWith(alias + "/", StringComparison.Ordinal))
                return "docker.io" + key[alias.Length..];
        }
        return key;
    }

    private static bool Matches(string key, string registry, string? repository)
    {
        registry = Normalize(registry);
        if (key == registry)
            return true;
        string full = repository is null ? registry : registry + "/" + repository;
        return key.StartsWith(registry + "/", StringComparison.Ordinal) && (full == key || full.StartsWith(key + "/", StringComparison.Ordinal));
    }

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
