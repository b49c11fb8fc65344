using System.Text.Json.Nodes;
using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Ctrun;

/// <summary>OCI runtime spec: a "user" namespace with linux.uidMappings/gidMappings, or joined by path.</summary>
public sealed class CtrunUserNamespaceTests
{
    private const uint HostRoot = 200000;

    private static void NewUserNamespace(JsonObject config, JsonArray uids, JsonArray gids)
    {
        config["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user" });
        config["linux"]!["uidMappings"] = uids;
        config["linux"]!["gidMappings"] = gids;
    }

    private static JsonObject Map(uint container, uint host, uint size) => new() { ["containerID"] = container, ["hostID"] = host, ["size"] = size };

    [Fact]
    public void TheMapsInsideAreTheConfigsAndItsRootWritesAsTheMappedHostUid()
    {
        using var bundle = new CtrunBundle(["sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; id -u; touch /tmp/made"], config =>
            NewUserNamespace(config, [Map(0, HostRoot, 65536)], [Map(0, HostRoot, 65536)]));
        string shared = Path.GetDirectoryName(bundle.Scratch("x"))!;
        File.SetUnixFileMode(shared, (UnixFileMode)0x1FF);
        var config = JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!.AsObject();
        config["mounts"]!.AsArray().Add(new JsonObject { ["destination"] = "/tmp", ["type"] = "bind", ["source"] = shared, ["options"] = new JsonArray("rbind", "rw") });
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());

        var result = bundle.Run();

        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0", HostRoot.ToString(System.Globalization.CultureInfo.InvariantCulture), "65536"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["0", HostRoot.ToString(System.Globalization.CultureInfo.InvariantCulture), "65536"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("0", lines[2]);
        Assert.Equal(HostRoot, (long)Linux.LStat(Path.Combine(shared, "made")).Uid);
    }

    [Fact]
    public void ExecJoinsTheContainersUserNamespace()
    {
        using var bundle = new CtrunBundle(["sleep", "100"], config => NewUserNamespace(config, [Map(0, HostRoot, 65536)], [Map(0, HostRoot, 65536)]));
        bundle.Must("run", "--detach", "--bundle", bundle.Directory, bundle.Id);
        int init = JsonNode.Parse(bundle.Must("state", bundle.Id))!["pid"]!.GetValue<int>();

        var exec = bundle.Ctrun("exec", bundle.Id, "sh", "-c", "id -u; readlink /proc/self/ns/user");

        Assert.True(exec.ExitCode == 0, exec.Stderr);
        Assert.Equal($"0\n{new FileInfo($"/proc/{init}/ns/user").LinkTarget}\n", exec.Stdout);
    }

    [Theory]
    [InlineData(0u, "size")]
    [InlineData(1000u, "overlap")]
    public void AMalformedMappingFailsCreateAndLeavesNoState(uint size, string says)
    {
        var uids = new JsonArray(Map(0, HostRoot, size));
        if (size > 0)
            uids.Add(Map(500, 300000, 10));
        using var bundle = new CtrunBundle(["true"], config => NewUserNamespace(config, uids, [Map(0, HostRoot, 65536)]));

        var result = bundle.Ctrun("create", "--bundle", bundle.Directory, bundle.Id);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(says, result.Stderr);
        Assert.Contains("uidMappings", result.Stderr);
        Assert.NotEqual(0, bundle.Ctrun("state", bundle.Id).ExitCode);
    }

    [Fact]
    public void AUserNamespaceGivenByPathIsJoined()
    {
        using var bundle = new CtrunBundle(["sh", "-c", "readlink /proc/self/ns/user; cat /proc/self/uid_map"]);
        using var holder = CtrunNamespaceTests.NamespaceHolder.Start(bundle.Scratch("holder"), user: true);
        // Written as host root, so setgroups stays allowed (unshare --map-root-user would deny it).
        File.WriteAllText($"/proc/{holder.Pid}/uid_map", "0 0 65536");
        File.WriteAllText($"/proc/{holder.Pid}/gid_map", "0 0 65536");
        var config = JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!.AsObject();
        var namespaces = config["linux"]!["namespaces"]!.AsArray();
        foreach (var ns in namespaces.Where(n => n!["type"]!.GetValue<string>() == "pid").ToList())
            namespaces.Remove(ns);
        namespaces.Add(new JsonObject { ["type"] = "pid", ["path"] = $"/proc/{holder.Pid}/ns/pid" });
        namespaces.Add(new JsonObject { ["type"] = "user", ["path"] = $"/proc/{holder.Pid}/ns/user" });
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());

        var result = bundle.Run();

        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new FileInfo($"/proc/{holder.Pid}/ns/user").LinkTarget, lines[0]);
        Assert.Equal(["0", "0", "65536"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
