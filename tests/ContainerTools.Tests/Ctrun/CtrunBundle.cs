using System.Text.Json.Nodes;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Ctrun;

/// <summary>
/// An OCI bundle for ctrun tests: a busybox rootfs and `runc spec`'s default config.json (a fixture tool),
/// edited per test; its own state root, and an id naming the test's store so cleanup finds its cgroups.
/// </summary>
public sealed class CtrunBundle : IDisposable
{
    private readonly TestStore _store = new();

    public CtrunBundle(string[] args, Action<JsonObject>? edit = null)
    {
        Directory = _store.Scratch("bundle");
        StateRoot = Path.Combine(_store.Path, "state");
        Id = Path.GetFileName(_store.Path) + "-c";
        Busybox.CreateRootfs(Path.Combine(Directory, "rootfs"));
        Tool.Run("runc", "spec", "--bundle", Directory);
        var config = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray());
        edit?.Invoke(config);
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    public string Directory { get; }
    public string StateRoot { get; }
    public string Id { get; }
    public string ConfigPath => Path.Combine(Directory, "config.json");

    /// <summary>A file path in the test's scratch space (outside the rootfs), for hooks and pid files.</summary>
    public string Scratch(string name) => Path.Combine(_store.Scratch("files"), name);

    /// <summary>
    /// ctrun with its output in files, not pipes: a created container inherits ctrun's stdio (as from runc), so
    /// a pipe would not reach its end before the container exits.
    /// </summary>
    public (int ExitCode, string Stdout, string Stderr) Ctrun(params string[] args)
    {
        string name = Guid.NewGuid().ToString("N");
        string stdout = Scratch(name + ".out"), stderr = Scratch(name + ".err");
        var (exitCode, _, _) = Tool.TryRun(Busybox.Binary,
            ["sh", "-c", "out=$1 err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\"", "sh", stdout, stderr, Repository.Ctrun, "--root", StateRoot, .. args]);
        return (exitCode, File.ReadAllText(stdout), File.ReadAllText(stderr));
    }

    /// <summary>`ctrun run` in the foreground: the container's output and exit code.</summary>
    public (int ExitCode, string Stdout, string Stderr) Run() => Ctrun("run", "--bundle", Directory, Id);

    public string Status() => JsonNode.Parse(Must("state", Id))!["status"]!.GetValue<string>();

    public string Must(params string[] args)
    {
        var result = Ctrun(args);
        Assert.True(result.ExitCode == 0, $"ctrun {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    public void Dispose()
    {
        Ctrun("delete", "--force", Id);
        _store.Dispose();
    }
}
