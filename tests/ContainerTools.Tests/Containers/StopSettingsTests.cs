using System.Diagnostics;
using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>-StopSignal and -StopTimeout, as docker run --stop-signal and --stop-timeout: how every later stop ends the container.</summary>
public sealed class StopSettingsTests : BusyboxSessionTest
{
    [Fact]
    public void TheStopSignalGivenAtCreationIsWhatAStopSends()
    {
        // There was no way to give it but the image's STOPSIGNAL: a program that shuts down cleanly on SIGINT got SIGTERM.
        Ps.Run("New-Container busybox -Name gentle -Network none -StopSignal SIGINT -Start -- sh -c 'trap \"echo got-int; exit 7\" INT; echo ready; while :; do sleep 0.1; done'");
        WaitForLog("gentle", "ready");
        Assert.Equal("SIGINT", Ps.Run("Get-Container gentle").Single().Properties["StopSignal"].Value);
        var stopped = Ps.Run("Stop-Container gentle -PassThru").Single();
        Assert.Equal(7, stopped.Properties["ExitCode"].Value);
        WaitForLog("gentle", "got-int");
    }

    [Fact]
    public void TheStopTimeoutGivenAtCreationIsHowLongAStopWaits()
    {
        // A container that ignores SIGTERM: stops waited the fixed 10 s before SIGKILL.
        Ps.Run("New-Container busybox -Name stubborn -Network none -StopTimeout 1 -Start -- sh -c 'trap \"\" TERM; echo ready; while :; do sleep 0.1; done'");
        WaitForLog("stubborn", "ready");
        Assert.Equal(1, Ps.Run("Get-Container stubborn").Single().Properties["StopTimeout"].Value);
        var watch = Stopwatch.StartNew();
        var stopped = Ps.Run("Stop-Container stubborn -PassThru").Single();
        watch.Stop();
        Assert.Equal(137, stopped.Properties["ExitCode"].Value);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 8);
    }

    [Theory]
    [InlineData("-StopSignal SIGFOO", "InvalidSignal", "SIGFOO")]
    [InlineData("-StopSignal 99", "InvalidSignal", "99")]
    public void ABadStopSignalIsAnErrorRecordAndNoContainerIsMade(string parameter, string errorId, string target)
    {
        var error = Ps.Invoke($"New-Container busybox -Network none {parameter} -- true").AllErrors.Single();
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    private void WaitForLog(string container, string line)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Ps.Run($"Get-ContainerLog {container}").Any(l => l.ToString() == line) && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.Contains(line, Ps.Run($"Get-ContainerLog {container}").Select(l => l.ToString()));
    }
}
