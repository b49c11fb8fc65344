using ContainerTools.Core;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>The security options of real containers, observed from inside them.</summary>
public sealed class ContainerSecurityRunTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly ContainerRunner run;

    public ContainerSecurityRunTests() => run = new ContainerRunner(store);

    public void Dispose() => store.Dispose();

    private string Sh(string script, ContainerOptions options)
    {
        var (code, stdout, stderr) = run.Run(options with { Command = ["sh", "-c", script] });
        Assert.True(code == 0, $"exited {code}: {stderr}\n{stdout}");
        return stdout;
    }

    private static string Status(string stdout, string field) =>
        stdout.Split('\n').Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim();

    [Fact]
    public void DefaultContainerHasTheFilterNoNewPrivsAndDockersCapabilities()
    {
        string status = Sh("cat /proc/self/status", new ContainerOptions());

        Assert.Equal("2", Status(status, "Seccomp")); // SECCOMP_MODE_FILTER
        Assert.Equal("1", Status(status, "NoNewPrivs"));
        Assert.Equal("00000000a80425fb", Status(status, "CapEff")); // Docker's default set
        Assert.Equal("0000000000000000", Status(status, "CapInh"));
    }

    [Fact]
    public void DefaultFilterBlocksWhatDockersBlocksInsideTheContainer()
    {
        // With CAP_SYS_ADMIN added the same commands work (see below): here the filter refuses them.
        string output = Sh("unshare -U true 2>&1; echo \"unshare $?\"; mount -t tmpfs none /tmp 2>&1; echo \"mount $?\"", new ContainerOptions());
        var lines = output.Split('\n');
        Assert.Equal(["unshare: unshare(0x10000000): Operation not permitted", "unshare 1"], lines[..2]);
        Assert.Contains("permission denied", lines[2], StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual("mount 0", lines[3]);
    }

    [Fact]
    public void SeccompUnconfinedRunsWithoutFilter() =>
        Assert.Equal("0", Status(Sh("cat /proc/self/status", new ContainerOptions { SecurityOptions = ["seccomp=unconfined"] }), "Seccomp"));

    [Fact]
    public void CustomProfileDeniesWhatItSays()
    {
        string profile = Path.Combine(store.Scratch("profiles"), "no-mkdir.json");
        File.WriteAllText(profile, """
            { "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ] }
            """);

        string output = Sh("mkdir /tmp/d 2>&1; echo \"mkdir $?\"; touch /tmp/f && echo touched",
            new ContainerOptions { SecurityOptions = ["seccomp=" + profile] });

        Assert.Contains("Permission denied", output, StringComparison.Ordinal);
        Assert.Contains("mkdir 1", output, StringComparison.Ordinal);
        Assert.Contains("touched", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CapabilityAddSysAdminLetsTheContainerMountInItsOwnNamespace()
    {
        string output = Sh("mount -t tmpfs none /tmp && echo mounted", new ContainerOptions { CapabilityAdd = ["SYS_ADMIN"] });
        Assert.Equal("mounted", output);
    }

    [Fact]
    public void CapabilityDropRemovesThem()
    {
        string none = Sh("cat /proc/self/status", new ContainerOptions { CapabilityDrop = ["ALL"] });
        Assert.Equal("0000000000000000", Status(none, "CapEff"));
        Assert.Equal("0000000000000000", Status(none, "CapBnd"));

        string output = Sh("touch /tmp/f; chown 1000 /tmp/f 2>&1; echo \"chown $?\"", new ContainerOptions { CapabilityDrop = ["chown"] });
        Assert.Contains("chown 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void NoNewPrivilegesFalseStillLoadsTheFilter()
    {
        string status = Sh("cat /proc/self/status", new ContainerOptions { SecurityOptions = ["no-new-privileges=false"] });
        Assert.Equal("0", Status(status, "NoNewPrivs"));
        Assert.Equal("2", Status(status, "Seccomp"));
    }

    [Fact]
    public void UlimitSetsTheProcessLimits()
    {
        string limits = Sh("cat /proc/self/limits", new ContainerOptions { Ulimits = ["nofile=1024:2048", "nproc=100"] });
        string Row(string name) => string.Join(' ', limits.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal))[26..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));
        Assert.Equal("1024 2048", Row("Max open files"));
        Assert.Equal("100 100", Row("Max processes"));
    }

    [Fact]
    public void ReadOnlyRootRefusesWrites()
    {
        var (code, _, stderr) = run.Run(new ContainerOptions { ReadOnly = true, Command = ["touch", "/x"] });
        Assert.NotEqual(0, code);
        Assert.Contains("Read-only file system", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivilegedHasEveryCapabilityNoFilterAndUnmaskedPaths()
    {
        string output = Sh("cat /proc/self/status; echo \"firmware $(ls /sys/firmware | wc -l)\"", new ContainerOptions { Privileged = true });

        Assert.Equal("0", Status(output, "Seccomp"));
        ulong effective = Convert.ToUInt64(Status(output, "CapEff"), 16);
        ulong hostBounding = Convert.ToUInt64(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))[7..].Trim(), 16);
        Assert.Equal(hostBounding, effective);
        Assert.DoesNotContain("firmware 0", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CapabilityAdd", "UnknownCapability")]
    [InlineData("CapabilityDrop", "UnknownCapability")]
    [InlineData("Ulimit", "InvalidUlimit")]
    [InlineData("SecurityOption", "InvalidSecurityOption")]
    public void BadOptionIsRefusedBeforeAnythingIsCreated(string option, string errorId)
    {
        var options = option switch
        {
            "CapabilityAdd" => new ContainerOptions { CapabilityAdd = ["CAP_FLY"] },
            "CapabilityDrop" => new ContainerOptions { CapabilityDrop = ["swim"] },
            "Ulimit" => new ContainerOptions { Ulimits = ["nofile=2:1"] },
            _ => new ContainerOptions { SecurityOptions = ["apparmor=unconfined"] },
        };

        var error = Assert.Throws<EngineException>(() => run.Create(options));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Empty(run.Containers.List());
        Assert.False(Directory.Exists(store.Location.ContainersDirectory) && Directory.EnumerateFileSystemEntries(store.Location.ContainersDirectory).Any());
    }

    [Fact]
    public void MalformedProfileIsRefusedBeforeAnythingIsCreated()
    {
        string profile = Path.Combine(store.Scratch("profiles"), "bad.json");
        File.WriteAllText(profile, """{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": [] , "action": "SCMP_ACT_ERRNO" } ] }""");

        var error = Assert.Throws<EngineException>(() => run.Create(new ContainerOptions { SecurityOptions = ["seccomp=" + profile] }));

        Assert.Equal("InvalidSeccompProfile", error.ErrorId);
        Assert.Contains("syscalls[0]", error.Message, StringComparison.Ordinal);
        Assert.Empty(run.Containers.List());
    }
}
