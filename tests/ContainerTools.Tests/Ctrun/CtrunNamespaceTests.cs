using System.Diagnostics;
using System.Text.Json.Nodes;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Ctrun;

/// <summary>OCI runtime spec: joining namespaces by path, and the hooks the init runs in the container's namespaces.</summary>
public sealed class CtrunNamespaceTests
{
    private static readonly string[] Kinds = ["pid", "net", "ipc", "uts", "mnt", "cgroup"];

    private static readonly Dictionary<string, string> SpecNames = new()
    {
        ["pid"] = "pid", ["net"] = "network", ["ipc"] = "ipc", ["uts"] = "uts", ["mnt"] = "mount", ["cgroup"] = "cgroup",
    };

    [Fact]
    public void EveryNamespaceGivenByPathIsJoined()
    {
        using var bundle = new CtrunBundle(["sh", "-c", string.Join("; ", Kinds.Select(k => "readlink /proc/self/ns/" + k))]);
        using var holder = NamespaceHolder.Start(bundle.Scratch("holder"));
        var config = JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!.AsObject();
        config["linux"]!["namespaces"] = new JsonArray(Kinds.Select(k =>
            (JsonNode)new JsonObject { ["type"] = SpecNames[k], ["path"] = $"/proc/{holder.Pid}/ns/{k}" }).ToArray());
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());

        var result = bundle.Run();
        Assert.True(result.ExitCode == 0, result.Stderr);
        string expected = string.Concat(Kinds.Select(k => new FileInfo($"/proc/{holder.Pid}/ns/{k}").LinkTarget + "\n"));
        Assert.Equal(expected, result.Stdout);
    }

    [Fact]
    public void ANamespacePathThatDoesNotExistFailsCreate()
    {
        using var bundle = new CtrunBundle(["true"], config =>
            config["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "network", ["path"] = "/proc/self/ns/nosuch" }));
        var result = bundle.Ctrun("create", "--bundle", bundle.Directory, bundle.Id);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/proc/self/ns/nosuch", result.Stderr);
    }

    [Fact]
    public void CreateContainerAndStartContainerHooksRunInTheContainerWithTheStateOnStdin()
    {
        using var bundle = new CtrunBundle(["sh", "-c", "cat /dev/shm/start.json; echo; echo ---; readlink /proc/self/ns/mnt"]);
        string created = bundle.Scratch("create-container");
        var config = JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!.AsObject();
        config["hooks"] = new JsonObject
        {
            // Before pivot_root: the path resolves on the host and the host's files are still in reach.
            ["createContainer"] = new JsonArray(new JsonObject
            {
                ["path"] = "/bin/sh", ["args"] = new JsonArray("sh", "-c", $"readlink /proc/self/ns/mnt > {created}; cat >> {created}"),
            }),
            // Inside the container's root, before its program, which reads what the hook wrote.
            ["startContainer"] = new JsonArray(new JsonObject
            {
                ["path"] = "/bin/sh", ["args"] = new JsonArray("sh", "-c", "cat > /dev/shm/start.json"),
            }),
        };
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());

        var result = bundle.Run();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var output = result.Stdout.Split("\n---\n");
        var startState = JsonNode.Parse(output[0])!;
        Assert.Equal(bundle.Id, startState["id"]!.GetValue<string>());
        Assert.Equal(bundle.Directory, startState["bundle"]!.GetValue<string>());
        string containerMountNamespace = output[1].Trim();

        var createdLines = File.ReadAllText(created).Split('\n', 2);
        Assert.Equal(containerMountNamespace, createdLines[0]);
        Assert.NotEqual(new FileInfo("/proc/self/ns/mnt").LinkTarget, createdLines[0]);
        Assert.Equal(bundle.Id, JsonNode.Parse(createdLines[1])!["id"]!.GetValue<string>());
    }

    [Fact]
    public void AFailingStartContainerHookStopsTheContainerBeforeItsProgram()
    {
        using var bundle = new CtrunBundle(["sh", "-c", "echo program-ran"], config =>
            config["hooks"] = new JsonObject { ["startContainer"] = new JsonArray(new JsonObject { ["path"] = "/bin/false" }) });
        var result = bundle.Run();
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("program-ran", result.Stdout);
        Assert.Contains("startContainer hook /bin/false", result.Stderr);
    }

    /// <summary>A process in new namespaces of every kind (its own mount namespace, private), whose files the container joins.</summary>
    internal sealed class NamespaceHolder : IDisposable
    {
        private readonly Process _unshare;

        private NamespaceHolder(Process unshare, int pid)
        {
            _unshare = unshare;
            Pid = pid;
        }

        /// <summary>The host pid of the holder's shell (PID 1 of its PID namespace).</summary>
        public int Pid { get; }

        /// <param name="tag">Named on its command line, so the test store's cleanup finds it even if Dispose never runs.</param>
        /// <param name="user">Also a user namespace of its own (owning the others), without maps: the caller writes them.</param>
        public static NamespaceHolder Start(string tag, bool user = false)
        {
            var start = new ProcessStartInfo("unshare", [.. user ? new[] { "--user" } : [],
                "--mount", "--uts", "--ipc", "--net", "--pid", "--fork", "--cgroup", "--propagation", "private", Busybox.Binary, "sh", "-c", "sleep 1000; : " + tag]) { RedirectStandardError = true };
            var unshare = Process.Start(start)!;
            int child = 0;
            bool found = SpinWait.SpinUntil(() =>
            {
                string children = File.Exists($"/proc/{unshare.Id}/task/{unshare.Id}/children") ? File.ReadAllText($"/proc/{unshare.Id}/task/{unshare.Id}/children").Trim() : "";
                return int.TryParse(children, out child) && File.ReadAllText($"/proc/{child}/cmdline").Contains(tag, StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(10));
            if (!found)
            {
                unshare.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException("the namespace holder did not start: " + unshare.StandardError.ReadToEnd());
            }
            return new NamespaceHolder(unshare, child);
        }

        public void Dispose()
        {
            _unshare.Kill(entireProcessTree: true);
            _unshare.WaitForExit();
            _unshare.Dispose();
        }
    }
}
