using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>
/// The devices a container may open, as Docker's defaults give them: it keeps CAP_MKNOD, so it can make any node,
/// but opens only the standard ones; a privileged container, every device. Checked with the host's kernel log
/// (/dev/kmsg, 1:11): a node of it made in a container wrote into the host's log.
/// </summary>
public sealed class DeviceAccessTests : BusyboxSessionTest
{
    private const string TryKernelLog = "mknod /tmp/kmsg c 1 11 && echo made; (echo \"<7>containertools device test\" > /tmp/kmsg) 2>/dev/null && echo opened || echo refused";

    [Fact]
    public void AContainerMakesAnyNodeButOpensOnlyTheStandardDevices()
    {
        var lines = Ps.Run($"Invoke-ContainerImage busybox -Network none -Remove -- sh -c '{TryKernelLog}; head -c 4 /dev/urandom | wc -c; echo x > /dev/null && echo null'")
            .Select(line => line.ToString()).ToList();
        Assert.Equal(["made", "refused", "4", "null"], lines);
    }

    [Fact]
    public void ACommandRunInARunningContainerIsHeldToItsDevicesToo()
    {
        Ps.Run("New-Container busybox -Name held -Network none -Start -- sleep 300");
        Assert.Equal("made\nrefused", ExecIn("held", TryKernelLog));
    }

    [Fact]
    public void APrivilegedContainerOpensEveryDeviceAndTheNextOneOnlyTheStandardOnes()
    {
        // One after another in a session: the second and third take the group the session made ahead for them.
        foreach (var (parameters, expected) in new[] { ("", "refused"), ("-Privileged", "opened"), ("", "refused") })
        {
            var lines = Ps.Run($"Invoke-ContainerImage busybox -Network none -Remove {parameters} -- sh -c '{TryKernelLog}'").Select(line => line.ToString()).ToList();
            Assert.Equal(["made", expected], lines);
        }
    }
}
