using ContainerTools.Core;
using ContainerTools.Core.Isolation;

namespace ContainerTools.Tests.Security;

public sealed class CapabilityTests
{
    [Theory]
    [InlineData("CAP_SYS_ADMIN", "CAP_SYS_ADMIN")]
    [InlineData("sys_admin", "CAP_SYS_ADMIN")]
    [InlineData("Net_Raw", "CAP_NET_RAW")]
    [InlineData("cap_checkpoint_restore", "CAP_CHECKPOINT_RESTORE")]
    public void ParseAcceptsDockerSpellings(string name, string canonical) => Assert.Equal(canonical, Capabilities.Parse(name));

    [Theory]
    [InlineData("CAP_FLY")]
    [InlineData("")]
    [InlineData("ALL")]
    public void UnknownCapabilityIsInvalidArgument(string name)
    {
        var error = Assert.Throws<EngineException>(() => Capabilities.Parse(name));
        Assert.Equal("UnknownCapability", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(name, error.Target);
    }

    [Fact]
    public void NumbersMatchTheKernel()
    {
        // The bounding set of this (root) test process, from the kernel, must decode to names we know.
        string bounding = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))[7..].Trim();
        ulong mask = Convert.ToUInt64(bounding, 16);
        int lastKernelCap = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(lastKernelCap, Capabilities.All.Count - 1);
        Assert.True((mask & (1UL << Capabilities.Number("CAP_SYS_ADMIN"))) != 0);
        Assert.Equal(21, Capabilities.Number("sys_admin"));
        Assert.Equal(40, Capabilities.Number("CAP_CHECKPOINT_RESTORE"));
    }

    [Fact]
    public void NoChangesKeepTheBaseline() =>
        Assert.Equal(Capabilities.DockerDefault.OrderBy(Capabilities.Number), CapabilityChanges.Apply(Capabilities.DockerDefault, null, null));

    [Fact]
    public void DropThenAdd()
    {
        var result = CapabilityChanges.Apply(Capabilities.DockerDefault, ["sys_ptrace", "NET_ADMIN"], ["CAP_NET_RAW", "mknod"]);
        Assert.Contains("CAP_SYS_PTRACE", result);
        Assert.Contains("CAP_NET_ADMIN", result);
        Assert.DoesNotContain("CAP_NET_RAW", result);
        Assert.DoesNotContain("CAP_MKNOD", result);
        Assert.Contains("CAP_CHOWN", result);
    }

    [Fact]
    public void DropAllKeepsOnlyTheAdded() =>
        Assert.Equal(["CAP_NET_BIND_SERVICE"], CapabilityChanges.Apply(Capabilities.DockerDefault, ["NET_BIND_SERVICE"], ["all"]));

    [Fact]
    public void AddAllGrantsEverythingButTheDropped()
    {
        var result = CapabilityChanges.Apply(Capabilities.DockerDefault, ["ALL"], ["SYS_MODULE"]);
        Assert.Equal(Capabilities.All.Count - 1, result.Count);
        Assert.DoesNotContain("CAP_SYS_MODULE", result);
    }

    [Fact]
    public void PrivilegedGrantsEverything() =>
        Assert.Equal(Capabilities.All, CapabilityChanges.Apply(Capabilities.DockerDefault, null, ["ALL"], privileged: true));

    [Fact]
    public void UnknownNameInAddOrDropIsRefused()
    {
        Assert.Equal("CAP_FLY", Assert.Throws<EngineException>(() => CapabilityChanges.Apply(Capabilities.DockerDefault, ["CAP_FLY"], null)).Target);
        Assert.Equal("swim", Assert.Throws<EngineException>(() => CapabilityChanges.Apply(Capabilities.DockerDefault, null, ["swim"])).Target);
    }

    [Fact]
    public void EverythingMeansWhatTheCallerSays()
    {
        IReadOnlyList<string> held = ["CAP_CHOWN", "CAP_SYS_ADMIN"];
        Assert.Equal(held, CapabilityChanges.Apply(Capabilities.DockerDefault, null, null, privileged: true, everything: held));
        Assert.Equal(["CAP_SYS_ADMIN"], CapabilityChanges.Apply(Capabilities.DockerDefault, ["ALL"], ["CHOWN"], everything: held));
    }

    [Fact]
    public void BoundingSetOfThisProcessIsReadFromTheKernel()
    {
        var held = BoundingSet.OfThisProcess();
        Assert.Contains("CAP_SYS_ADMIN", held); // the tests run as root
        Assert.All(held, c => Assert.Contains(c, Capabilities.All));
    }
}
