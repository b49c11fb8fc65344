using System.Diagnostics;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Networking;

/// <summary>
/// The firewall plugin's same-bridge isolation rules (filter table, CNI-ISOLATION-STAGE-1 and -2): it adds two
/// per bridge at the bridge's first ADD and, since other containers may still use the bridge, deletes none at
/// DEL. The network's removal must, or every removed network leaves its two rules in the host's firewall.
/// </summary>
internal static class IsolationRules
{
    // The plugin's own comment: these rules and no others.
    private const string Comment = "CNI firewall plugin rules (ingressPolicy: same-bridge)";
    private static readonly string[] Directories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public static void Delete(string bridge)
    {
        string? iptables = Directories.Select(d => Path.Combine(d, "iptables")).FirstOrDefault(File.Exists);
        if (iptables is null)
            return; // the plugin needs it too: without it no rule was ever added
        foreach (var rule in Rules(bridge))
        {
            if (Run(iptables, "-C", rule).ExitCode != 0)
                continue; // not there: the bridge never had a container, or its rules went before
            var (exitCode, output) = Run(iptables, "-D", rule);
            if (exitCode != 0)
                throw new EngineException("IsolationRuleNotDeleted", ErrorKind.InvalidOperation, bridge,
                    $"iptables -D {rule[0]} for bridge {bridge} failed (exit code {exitCode}): {output.Trim()}");
        }
    }

    private static string[][] Rules(string bridge) =>
    [
        ["CNI-ISOLATION-STAGE-1", "-i", bridge, "!", "-o", bridge, "-m", "comment", "--comment", Comment, "-j", "CNI-ISOLATION-STAGE-2"],
        ["CNI-ISOLATION-STAGE-2", "-o", bridge, "-m", "comment", "--comment", Comment, "-j", "DROP"],
    ];

    private static (int ExitCode, string Output) Run(string iptables, string action, string[] rule)
    {
        var start = new ProcessStartInfo(iptables, ["-w", "-t", "filter", action, .. rule])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        ChildStdio.WriteAndClose(process, "");
        var (stdout, stderr) = ChildStdio.ReadToEnd(process);
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }
}
