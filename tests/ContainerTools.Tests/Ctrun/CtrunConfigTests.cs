using System.Text.Json.Nodes;

namespace ContainerTools.Tests.Ctrun;

/// <summary>OCI runtime spec, config.json honoured as seen from inside the container: process, root, paths, namespaces, sysctl.</summary>
public sealed class CtrunConfigTests
{
    private static string RunInside(string script, Action<JsonObject>? edit = null)
    {
        using var bundle = new CtrunBundle(["sh", "-c", script], edit);
        var result = bundle.Run();
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    [Fact]
    public void ProcessArgsEnvCwdUserAndAdditionalGidsApply()
    {
        string output = RunInside("echo \"$1-$FOO\"; pwd; id -u; id -g; id -G", config =>
        {
            var process = config["process"]!;
            process["args"] = new JsonArray("sh", "-c", "echo \"$0-$FOO\"; pwd; id -u; id -g; id -G", "arg0");
            process["env"] = new JsonArray("PATH=/bin:/usr/bin", "FOO=bar");
            process["cwd"] = "/tmp";
            process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000, ["additionalGids"] = new JsonArray(10, 20) };
        });
        Assert.Equal("arg0-bar\n/tmp\n1000\n1000\n1000 10 20\n", output);
    }

    [Fact]
    public void HostnameIsSetInTheNewUtsNamespace()
    {
        Assert.Equal("oci-host\n", RunInside("hostname", config => config["hostname"] = "oci-host"));
    }

    [Fact]
    public void CapabilitiesRlimitsNoNewPrivilegesAndOomScoreAdjApply()
    {
        string output = RunInside("grep -E '^(CapBnd|CapEff|NoNewPrivs)' /proc/self/status; ulimit -n; cat /proc/self/oom_score_adj", config =>
        {
            var process = config["process"]!;
            var caps = new JsonArray("CAP_CHOWN", "CAP_KILL");
            process["capabilities"] = new JsonObject
            {
                ["bounding"] = caps.DeepClone(), ["effective"] = caps.DeepClone(), ["permitted"] = caps.DeepClone(),
                ["inheritable"] = new JsonArray(), ["ambient"] = new JsonArray(),
            };
            process["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["soft"] = 321, ["hard"] = 654 });
            process["noNewPrivileges"] = true;
            process["oomScoreAdj"] = 500;
        });
        // CAP_CHOWN (0) and CAP_KILL (5): mask 0x21.
        Assert.Contains("CapEff:\t0000000000000021", output);
        Assert.Contains("CapBnd:\t0000000000000021", output);
        Assert.Contains("NoNewPrivs:\t1", output);
        Assert.EndsWith("321\n500\n", output);
    }

    [Fact]
    public void ReadonlyRootMaskedAndReadonlyPathsApply()
    {
        string output = RunInside("touch /x 2>/dev/null && echo root-rw || echo root-ro; echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo sys-rw || echo sys-ro", config =>
        {
            config["root"]!["readonly"] = true;
            config["linux"]!["maskedPaths"] = new JsonArray("/proc/kcore");
            config["linux"]!["readonlyPaths"] = new JsonArray("/proc/sys");
        });
        Assert.Equal("root-ro\nsys-ro\n", output);
    }

    [Fact]
    public void DefaultDevicesAndMountsExist()
    {
        string output = RunInside("for d in null zero full random urandom tty; do [ -c /dev/$d ] && echo $d; done; " +
            "[ -L /dev/fd ] && echo fd; grep -E ' /proc | /dev/pts | /dev/shm ' /proc/mounts | cut -d' ' -f2 | sort");
        Assert.Equal("null\nzero\nfull\nrandom\nurandom\ntty\nfd\n/dev/pts\n/dev/shm\n/proc\n", output);
    }

    [Fact]
    public void SysctlIsWrittenInTheContainersNamespaces()
    {
        string output = RunInside("cat /proc/sys/kernel/domainname /proc/sys/net/ipv4/ip_forward", config =>
            config["linux"]!["sysctl"] = new JsonObject { ["kernel.domainname"] = "oci.test", ["net.ipv4.ip_forward"] = "1" });
        Assert.Equal("oci.test\n1\n", output);
    }
}
