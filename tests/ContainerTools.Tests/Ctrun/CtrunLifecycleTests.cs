using System.Text.Json.Nodes;

namespace ContainerTools.Tests.Ctrun;

/// <summary>OCI runtime spec, lifecycle and state: create, start, state, kill, delete and the errors between them.</summary>
public sealed class CtrunLifecycleTests
{
    [Fact]
    public void CreateStartKillDeleteMovesThroughTheOciStates()
    {
        using var bundle = new CtrunBundle(["sleep", "100"]);
        string pidFile = bundle.Scratch("pid");
        bundle.Must("create", "--bundle", bundle.Directory, "--pid-file", pidFile, bundle.Id);
        var state = JsonNode.Parse(bundle.Must("state", bundle.Id))!;
        Assert.Equal("created", state["status"]!.GetValue<string>());
        Assert.Equal(bundle.Id, state["id"]!.GetValue<string>());
        Assert.Equal(bundle.Directory, state["bundle"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(state["ociVersion"]!.GetValue<string>()));
        int pid = state["pid"]!.GetValue<int>();
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(pidFile));
        // Created: the init exists but the user's program has not been executed yet.
        Assert.DoesNotContain("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));

        bundle.Must("start", bundle.Id);
        Assert.Equal("running", bundle.Status());
        bundle.Must("kill", bundle.Id, "KILL");
        Assert.True(SpinUntil(() => bundle.Status() == "stopped"));
        bundle.Must("delete", bundle.Id);
        var gone = bundle.Ctrun("state", bundle.Id);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("does not exist", gone.Stderr);
    }

    [Fact]
    public void DeletingACreatedNeverStartedContainerEndsItsInit()
    {
        using var bundle = new CtrunBundle(["true"]);
        bundle.Must("create", "--bundle", bundle.Directory, bundle.Id);
        int pid = JsonNode.Parse(bundle.Must("state", bundle.Id))!["pid"]!.GetValue<int>();
        bundle.Must("delete", bundle.Id);
        Assert.True(SpinUntil(() => !File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z')));
        Assert.NotEqual(0, bundle.Ctrun("state", bundle.Id).ExitCode);
    }

    [Fact]
    public void WrongTransitionsFailWithAMessageAndNonZeroExit()
    {
        using var bundle = new CtrunBundle(["sleep", "100"]);
        bundle.Must("run", "--detach", "--bundle", bundle.Directory, bundle.Id);
        var again = bundle.Ctrun("start", bundle.Id);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("cannot start a container that is running", again.Stderr);
        var delete = bundle.Ctrun("delete", bundle.Id);
        Assert.NotEqual(0, delete.ExitCode);
        Assert.Equal("running", bundle.Status());
        var duplicate = bundle.Ctrun("create", "--bundle", bundle.Directory, bundle.Id);
        Assert.Contains("already exists", duplicate.Stderr);
        bundle.Must("delete", "--force", bundle.Id);
        Assert.NotEqual(0, bundle.Ctrun("kill", bundle.Id, "TERM").ExitCode);
    }

    [Fact]
    public void CommandsOnAnUnknownIdAndAFailedCreateLeaveNothingInTheStateRoot()
    {
        using var bundle = new CtrunBundle(["true"]);
        bundle.Must("delete", "--force", bundle.Id);
        Assert.NotEqual(0, bundle.Ctrun("start", bundle.Id).ExitCode);
        Assert.NotEqual(0, bundle.Ctrun("kill", bundle.Id, "TERM").ExitCode);
        Assert.NotEqual(0, bundle.Ctrun("delete", bundle.Id).ExitCode);
        Assert.NotEqual(0, bundle.Ctrun("create", "--bundle", bundle.Scratch("no-bundle"), bundle.Id).ExitCode);
        Assert.Empty(Directory.Exists(bundle.StateRoot) ? Directory.EnumerateFileSystemEntries(bundle.StateRoot) : []);
    }

    [Fact]
    public void ACreateKilledMidwayHoldsItsIdUntilDeleteForceClearsIt()
    {
        using var bundle = new CtrunBundle(["true"]);
        // What a create killed before it wrote its record leaves: the directory, its lock and exec.fifo.
        string directory = Path.Combine(bundle.StateRoot, bundle.Id);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ".lock"), "");
        File.WriteAllText(Path.Combine(directory, "exec.fifo"), "");
        Assert.Contains("already exists", bundle.Ctrun("create", "--bundle", bundle.Directory, bundle.Id).Stderr);
        Assert.NotEqual(0, bundle.Ctrun("state", bundle.Id).ExitCode);
        bundle.Must("delete", "--force", bundle.Id);
        Assert.False(Directory.Exists(directory));
        var result = bundle.Run();
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void ErrorsGoToTheLogAsJsonLinesAndSystemdCgroupIsRefused()
    {
        using var bundle = new CtrunBundle(["true"]);
        string log = bundle.Scratch("log.json");
        var result = bundle.Ctrun("--log", log, "--log-format", "json", "state", "nosuch");
        Assert.NotEqual(0, result.ExitCode);
        var line = JsonNode.Parse(File.ReadAllLines(log).Single())!;
        Assert.Equal("error", line["level"]!.GetValue<string>());
        Assert.Contains("nosuch", line["msg"]!.GetValue<string>());
        var systemd = bundle.Ctrun("--systemd-cgroup", "state", "x");
        Assert.NotEqual(0, systemd.ExitCode);
        Assert.Contains("--systemd-cgroup is not supported", systemd.Stderr);
    }

    [Fact]
    public void RunReturnsTheProcessExitCodeAndRemovesTheContainer()
    {
        using var bundle = new CtrunBundle(["sh", "-c", "echo out; exit 3"]);
        var result = bundle.Run();
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.NotEqual(0, bundle.Ctrun("state", bundle.Id).ExitCode);
    }

    [Fact]
    public void FeaturesListsTheNamespacesAndHooks()
    {
        using var bundle = new CtrunBundle(["true"]);
        var features = JsonNode.Parse(bundle.Must("features"))!;
        Assert.Contains("pid", features["linux"]!["namespaces"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("poststop", features["hooks"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    internal static bool SpinUntil(Func<bool> condition) => SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(10));
}
