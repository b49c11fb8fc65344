using System.Diagnostics;
using System.Text.Json.Nodes;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Networking;

public enum CniCommand { Add, Del, Check }

/// <summary>Who and where a CNI operation is for: the CNI_CONTAINERID, CNI_NETNS and CNI_IFNAME of the spec.</summary>
/// <param name="Netns">Path of the network namespace; empty when it is gone (DEL only).</param>
public sealed record CniTarget(string ContainerId, string Netns, string InterfaceName);

/// <summary>
/// Runs one CNI plugin as the CNI specification says: the executable named by the config's "type" from the
/// plugin directories, the CNI_* variables in its environment, the config on stdin, the result (or an error
/// object and a non-zero exit) on stdout. The only executables the engine ever runs.
/// </summary>
public sealed class CniPlugin
{
    /// <summary>Where distributions install the plugins (Debian: /usr/lib/cni).</summary>
    public static readonly IReadOnlyList<string> DefaultDirectories = ["/usr/lib/cni", "/usr/libexec/cni", "/opt/cni/bin"];

    // Plugins run iptables; a monitor started with a bare environment must still find it.
    private const string SystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly IReadOnlyList<string> _directories;

    public CniPlugin(IReadOnlyList<string>? directories = null) => _directories = directories ?? DefaultDirectories;

    /// <summary>Runs the plugin <paramref name="config"/> names; returns its result (null when it wrote none, as DEL does).</summary>
    public JsonObject? Run(CniCommand command, JsonObject config, CniTarget target)
    {
        string type = (string?)config["type"] ?? throw new ArgumentException("CNI config without a type", nameof(config));
        string executable = Find(type);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CNI_COMMAND"] = command.ToString().ToUpperInvariant();
        start.Environment["CNI_CONTAINERID"] = target.ContainerId;
        start.Environment["CNI_NETNS"] = target.Netns;
        start.Environment["CNI_IFNAME"] = target.InterfaceName;
        start.Environment["CNI_PATH"] = string.Join(':', _directories);
        start.Environment["CNI_ARGS"] = "";
        start.Environment["PATH"] = start.Environment.TryGetValue("PATH", out var path) && !string.IsNullOrEmpty(path)
            ? path + ":" + SystemPath
            : SystemPath;

        using var process = Process.Start(start)!;
        ChildStdio.WriteAndClose(process, config.ToJsonString());
        var (stdout, stderr) = ChildStdio.ReadToEnd(process);
        process.WaitForExit();

        if (process.ExitCode != 0)
            throw Failure(type, command, target, stdout, stderr, process.ExitCode);
        return string.IsNullOrWhiteSpace(stdout) ? null : JsonNode.Parse(stdout)?.AsObject();
    }

    private string Find(string type)
    {
        foreach (var directory in _directories)
        {
            string candidate = Path.Combine(directory, type);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new EngineException("CniPluginNotFound", ErrorKind.ResourceUnavailable, type,
            $"The CNI plugin '{type}' is not installed in {string.Join(", ", _directories)} (Debian: apt-get install containernetworking-plugins).");
    }

    /// <summary>The plugin's error object (code, msg, details) as an engine error naming plugin, command and interface.</summary>
    private static EngineException Failure(string type, CniCommand command, CniTarget target, string stdout, string stderr, int exitCode)
    {
        string reason;
        try
        {
            var error = JsonNode.Parse(stdout)?.AsObject();
            reason = $"{(string?)error?["msg"]}{((string?)error?["details"] is { Length: > 0 } details ? ": " + details : "")} (CNI error {(int?)error?["code"]})";
        }
        catch (System.Text.Json.JsonException)
        {
            reason = $"exit code {exitCode}: {(stdout + stderr).Trim()}";
        }
        return new EngineException("CniPluginFailed", ErrorKind.InvalidOperation, target.ContainerId,
            $"CNI plugin {type} {command.ToString().ToUpperInvariant()} for {target.InterfaceName} failed: {reason}");
    }
}
