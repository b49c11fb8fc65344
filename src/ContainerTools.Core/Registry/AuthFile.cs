using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Registry;

/// <summary>
/// Stored registry logins in the containers-auth.json(5) format that Podman, Buildah and skopeo share:
/// <c>{"auths": {"host[:port]": {"auth": base64("user:password")}}}</c>. Logins are written to <see cref="Path"/>
/// and read from it, then from the read-only <see cref="Fallbacks"/> (~/.config/containers/auth.json and
/// Docker's ~/.docker/config.json, which has the same "auths" shape). Other members of the file are kept.
/// A linked file is written through (the link stays), and each change is a read and a write under a lock on
/// the file's directory, so two sessions logging in at once both keep their login.
/// </summary>
public sealed class AuthFile
{
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
            if (Read(file) is not { } document || Auths(document, file) is not { } auths)
                continue;
            var best = auths
                .Select(entry => (Key: Normalize(entry.Key), Entry: entry.Value))
                .Where(entry => Matches(entry.Key, registry, repository))
                .OrderByDescending(entry => entry.Key.Length)
                .Select(entry => RegistryCredential.Decode(entry.Entry!["auth"]?.GetValue<string>()))
                .FirstOrDefault(credential => credential is not null);
            if (best is not null)
                return best;
        }
        return null;
    }

    /// <summary>
    /// Writes (or replaces) the login for <paramref name="registry"/>; the file is made 0600. A login stored under
    /// another spelling of the registry ("https://index.docker.io/v1/" for docker.io) goes: it would be found first.
    /// </summary>
    public void Store(string registry, RegistryCredential credential) => Change(auths =>
    {
        RemoveLogins(auths, registry);
        auths[registry] = new JsonObject { ["auth"] = credential.Encoded };
        return true;
    });

    /// <summary>Removes the login for <paramref name="registry"/>, under any spelling of it; false when there was none.</summary>
    public bool Remove(string registry) => Read(WritePath()) is not null && Change(auths => RemoveLogins(auths, registry) > 0);

    /// <summary>The registries that have a login in <see cref="Path"/>.</summary>
    public IReadOnlyList<string> Registries() =>
        Read(Path) is { } document && Auths(document, Path) is { } auths ? auths.Select(entry => entry.Key).ToList() : [];

    /// <summary>Reads, changes and writes back the file's logins, under a lock on its directory; false when <paramref name="change"/> changed nothing.</summary>
    private bool Change(Func<JsonObject, bool> change)
    {
        string path = WritePath();
        string directory = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var locked = FileLock.OnDirectory(directory, wait: true);
        var document = Read(path) ?? new JsonObject();
        if (Auths(document, path) is not { } auths)
            document["auths"] = auths = new JsonObject();
        if (!change(auths))
            return false;
        byte[] json = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        AtomicFile.WriteAllBytes(path, json, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return true;
    }

    /// <summary>The file a change replaces: the final target when <see cref="Path"/> is a link (a dotfiles link stays one).</summary>
    private string WritePath() =>
        new FileInfo(Path).LinkTarget is null ? Path : File.ResolveLinkTarget(Path, returnFinalTarget: true)!.FullName;

    private static int RemoveLogins(JsonObject auths, string registry)
    {
        var keys = auths.Select(entry => entry.Key).Where(key => Normalize(key) == Normalize(registry)).ToList();
        foreach (string key in keys)
            auths.Remove(key);
        return keys.Count;
    }

    private static JsonObject? Read(string file)
    {
        if (Directory.Exists(file))
            throw new EngineException("AuthFileIsDirectory", ErrorKind.InvalidArgument, file, $"The auth file {file} is a directory, not a file.");
        if (!File.Exists(file))
            return null;
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(file)) as JsonObject
                ?? throw new JsonException("the top level is not an object");
        }
        catch (JsonException e)
        {
            throw Invalid(file, $"is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The "auths" member (null when absent), checked to be containers-auth.json(5)'s object of {"auth": "..."} entries.</summary>
    private static JsonObject? Auths(JsonObject document, string file)
    {
        if (document["auths"] is null)
            return null;
        if (document["auths"] is not JsonObject auths)
            throw Invalid(file, "has an \"auths\" member that is not an object");
        foreach (var (key, entry) in auths)
        {
            if (entry is not JsonObject login || login["auth"] is { } auth && auth.GetValueKind() != JsonValueKind.String)
                throw Invalid(file, $"has a login for '{key}' that is not an object with an \"auth\" string");
        }
        return auths;
    }

    private static EngineException Invalid(string file, string why, Exception? inner = null) =>
        new("InvalidAuthFile", ErrorKind.InvalidData, file, $"The auth file {file} {why}.", inner);

    /// <summary>
    /// As containers/image reads keys: a scheme makes the key a URL whose path is no namespace
    /// ("https://index.docker.io/v1/"), host names ignore case, and Docker Hub has several names.
    /// </summary>
    private static string Normalize(string key)
    {
        int scheme = key.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            key = key[(scheme + 3)..].Split('/')[0];
        key = key.ToLowerInvariant();
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
