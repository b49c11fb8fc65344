using ContainerTools.Core.Containers;
using ContainerTools.Tests.Images;

namespace ContainerTools.Tests.Containers;

/// <summary>Whether the process that made a temp, a spare cgroup or a build's container still runs: by pid and start time.</summary>
public sealed class ProcessStampTests
{
    private static readonly ProcessIdentity Self = ProcessIdentity.Of(Environment.ProcessId)!;

    [Fact]
    public void ThisProcessIsAliveAndItsPidWithAnotherStartTimeIsNot()
    {
        Assert.Equal(ProcessStamp.Of(Self), ProcessStamp.Current);
        Assert.True(ProcessStamp.IsAlive(ProcessStamp.Current));
        // The same pid given to another process since: what the stamp named has exited.
        Assert.False(ProcessStamp.IsAlive(ProcessStamp.Of(Self with { StartTime = Self.StartTime + 1 })));
    }

    [Fact]
    public void AnEndedProcessIsNotAliveNorIsTextThatIsNoStamp()
    {
        int dead = ImageCmdletTests.DeadPid();
        Assert.False(ProcessStamp.IsAlive(dead.ToString()));
        foreach (string text in new[] { "", ".", "-1", "0", "12x", "1.x", "1.-2", "99999999999" })
            Assert.False(ProcessStamp.IsAlive(text), text);
    }

    [Fact]
    public void ABarePidAsEarlierVersionsWroteCountsWhileAProcessHasIt()
    {
        Assert.True(ProcessStamp.IsAlive(Environment.ProcessId.ToString()));
    }
}
