using System.Text.Json.Nodes;

namespace ContainerTools.Tests.Ctrun;

/// <summary>OCI runtime spec, linux.resources and cgroupsPath, and hooks with the state on their stdin.</summary>
public sealed class CtrunCgroupHookTests
{
    [Fact]
    public void ResourcesApplyToTheRelativeCgroupsPathAndUpdateChangesThem()
    {
        using var bundle = new CtrunBundle(["sleep", "100"], null);
        string relative = bundle.Id + "/inner";
        var config = JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!.AsObject();
        config["linux"]!["cgroupsPath"] = relative;
        config["linux"]!["resources"] = new JsonObject
        {
            ["memory"] = new JsonObject { ["limit"] = 64L * 1024 * 1024 },
            ["cpu"] = new JsonObject { ["quota"] = 50000, ["period"] = 100000, ["shares"] = 512 },
            ["pids"] = new JsonObject { ["limit"] = 42 },
        };
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());
        bundle.Must("create", "--bundle", bundle.Directory, bundle.Id);
        string group = "ctrun/" + relative;
        int pid = JsonNode.Parse(bundle.Must("state", bundle.Id))!["pid"]!.GetValue<int>();
        Assert.Contains($"pids:/{group}", File.ReadAllText($"/proc/{pid}/cgroup"));
        Assert.Equal("67108864", Read("memory", group, "memory.limit_in_bytes"));
        Assert.Equal("50000", Read("cpu", group, "cpu.cfs_quota_us"));
        Assert.Equal("512", Read("cpu", group, "cpu.shares"));
        Assert.Equal("42", Read("pids", group, "pids.max"));

        bundle.Must("update", "--memory", "128m", "--pids-limit", "7", bundle.Id);
        Assert.Equal("134217728", Read("memory", group, "memory.limit_in_bytes"));
        Assert.Equal("7", Read("pids", group, "pids.max"));
        bundle.Must("delete", "--force", bundle.Id);
        Assert.False(Directory.Exists(Path.Combine("/sys/fs/cgroup/pids", group)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheContainerSeesItsOwnGroupsUnderSysFsCgroupWithOrWithoutACgroupNamespace(bool cgroupNamespace)
    {
        // It was an empty tmpfs there, where runc and crun give the container its groups (bound from the host's
        // hierarchies without a cgroup namespace, mounted again with one): nothing of the host's other groups, read-only.
        using var bundle = new CtrunBundle(["sh", "-c", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes; ls /sys/fs/cgroup/memory | grep -c ctrun; " +
            "(echo 1 > /sys/fs/cgroup/pids/pids.max) 2>/dev/null && echo written; echo end"], config =>
        {
            config["linux"]!["resources"] = new JsonObject { ["memory"] = new JsonObject { ["limit"] = 64L * 1024 * 1024 } };
            if (cgroupNamespace)
                config["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "cgroup" });
        });
        var result = bundle.Run();
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}{result.Stdout}");
        Assert.Equal("67108864\n0\nend\n", result.Stdout);
    }

    [Fact]
    public void HooksRunAtTheirPointsWithTheStateOnStdin()
    {
        using var bundle = new CtrunBundle(["true"]);
        string Hook(string name) => bundle.Scratch(name + ".json");
        var config = JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!.AsObject();
        JsonArray Hooks(string name) => new(new JsonObject
        {
            ["path"] = "/bin/sh",
            ["args"] = new JsonArray("sh", "-c", $"cat > {Hook(name)}"),
        });
        config["hooks"] = new JsonObject
        {
            ["prestart"] = Hooks("prestart"), ["createRuntime"] = Hooks("createRuntime"),
            ["poststart"] = Hooks("poststart"), ["poststop"] = Hooks("poststop"),
        };
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());
        bundle.Must("create", "--bundle", bundle.Directory, bundle.Id);
        Assert.True(File.Exists(Hook("prestart")));
        Assert.True(File.Exists(Hook("createRuntime")));
        Assert.False(File.Exists(Hook("poststart")));
        bundle.Must("start", bundle.Id);
        Assert.True(File.Exists(Hook("poststart")));
        Assert.True(CtrunLifecycleTests.SpinUntil(() => bundle.Status() == "stopped"));
        bundle.Must("delete", bundle.Id);
        foreach (var name in new[] { "prestart", "createRuntime", "poststart", "poststop" })
        {
            var state = JsonNode.Parse(File.ReadAllText(Hook(name)))!;
            Assert.Equal(bundle.Id, state["id"]!.GetValue<string>());
            Assert.True(state["pid"]!.GetValue<int>() > 0 || name == "poststop");
        }
    }

    [Fact]
    public void AFailingPrestartHookFailsCreateAndLeavesNothing()
    {
        using var bundle = new CtrunBundle(["true"], config =>
            config["hooks"] = new JsonObject { ["prestart"] = new JsonArray(new JsonObject { ["path"] = "/bin/false" }) });
        var result = bundle.Ctrun("create", "--bundle", bundle.Directory, bundle.Id);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("prestart hook /bin/false exited with 1", result.Stderr);
        Assert.NotEqual(0, bundle.Ctrun("state", bundle.Id).ExitCode);
        Assert.False(Directory.Exists("/sys/fs/cgroup/pids/ctrun/" + bundle.Id));
    }

    private static string Read(string controller, string group, string file) =>
        File.ReadAllText(Path.Combine("/sys/fs/cgroup", controller, group, file)).Trim();
}
