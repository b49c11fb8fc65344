using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>Health checks, as docker run --health-* and a Dockerfile's HEALTHCHECK: probes in the running container, starting/healthy/unhealthy.</summary>
public sealed class HealthCheckTests : BusyboxSessionTest
{
    [Fact]
    public void ProbesMakeItHealthyThenUnhealthyAsTheyPassAndFail()
    {
        // A HEALTHCHECK was kept in the image and never run; there was no way to ask for one either.
        Ps.Run("New-Container busybox -Name web -Network none -HealthCommand 'test -f /tmp/ok' -HealthInterval 0.2 -HealthRetries 2 -Start -- sleep 300");
        Assert.Equal(ContainerHealth.Starting, Health("web"));
        ExecIn("web", "touch /tmp/ok");
        AssertBecomes("web", ContainerHealth.Healthy);
        Assert.EndsWith("(healthy)", (string)Ps.Run("(Get-Container web).StatusText").Single().BaseObject);
        Assert.Equal(["web"], Ps.Run("Get-Container -Health Healthy").Select(c => c.Properties["Name"].Value));
        Assert.Empty(Ps.Run("Get-Container -Health unhealthy"));
        ExecIn("web", "rm /tmp/ok");
        AssertBecomes("web", ContainerHealth.Unhealthy);
        var log = Ps.Run("(Get-Container web).HealthLog").Select(p => (HealthProbe)p.BaseObject).ToList();
        Assert.InRange(log.Count, 2, 5);
        Assert.Equal(1, log[^1].ExitCode);
        Assert.Equal(0, log.First(p => p.ExitCode == 0).ExitCode);
        // Stopped, it has no health, and its checker is gone with its monitor.
        string id = (string)Ps.Run("(Get-Container web).Id").Single().BaseObject;
        Ps.Run("Stop-Container web -Timeout 0");
        Assert.Null(Ps.Run("(Get-Container web).Health").SingleOrDefault()?.BaseObject);
        Ps.Run("Remove-Container web");
        ContainerTraces.AssertNothingLeft(Store, id);
    }

    [Fact]
    public void AProbeThatOutlastsItsTimeoutFailsAndFailuresInTheStartPeriodDoNotCount()
    {
        Ps.Run("New-Container busybox -Name slow -Network none -HealthCommand 'sleep 10' -HealthInterval 0.2 -HealthTimeout 0.3 -HealthRetries 1 -Start -- sleep 300");
        AssertBecomes("slow", ContainerHealth.Unhealthy);
        var probe = (HealthProbe)Ps.Run("(Get-Container slow).HealthLog").Last().BaseObject;
        Assert.Equal(-1, probe.ExitCode);
        Assert.Contains("exceeded timeout", probe.Output);
        Assert.InRange((probe.End - probe.Start).TotalSeconds, 0.25, 5);

        Ps.Run("New-Container busybox -Name warming -Network none -HealthCommand false -HealthInterval 0.2 -HealthRetries 1 -HealthStartPeriod 5 -Start -- sleep 300");
        Assert.True(SpinWait.SpinUntil(() => Ps.Run("(Get-Container warming).HealthLog").Count >= 3, TimeSpan.FromSeconds(10)), "no probes ran");
        Assert.Equal(ContainerHealth.Starting, Health("warming"));
        AssertBecomes("warming", ContainerHealth.Unhealthy);
    }

    [Fact]
    public void TheImagesHealthcheckRunsAndTheParametersOverrideOrTurnItOff()
    {
        string context = Store.Scratch("context");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nHEALTHCHECK --interval=1h --retries=1 CMD test -f /tmp/ok\n");
        Ps.Run($"Build-ContainerImage -Path '{context}' -Tag checked:1");
        // The image's hour between probes, made 0.2 s here; its command and retries kept.
        Ps.Run("New-Container checked:1 -Name fromimage -Network none -HealthInterval 0.2 -Start -- sh -c 'touch /tmp/ok; sleep 300'");
        AssertBecomes("fromimage", ContainerHealth.Healthy);
        Ps.Run("New-Container checked:1 -Name unchecked -Network none -NoHealthCheck -Start -- sleep 300");
        Assert.Null(Ps.Run("(Get-Container unchecked).Health").SingleOrDefault()?.BaseObject);
        Assert.Equal("Up", ((string)Ps.Run("(Get-Container unchecked).StatusText").Single().BaseObject).Split(' ')[0]);
    }

    [Theory]
    [InlineData("-HealthCommand true -HealthInterval 0")]
    [InlineData("-HealthCommand true -HealthTimeout -1")]
    [InlineData("-HealthCommand true -HealthRetries 0")]
    [InlineData("-HealthCommand ''")]
    public void ABadSettingIsAnErrorRecordAndNoContainerIsMade(string parameter)
    {
        var error = Ps.Invoke($"New-Container busybox -Network none {parameter} -- true").AllErrors.Single();
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    private string? Health(string container) => (string?)Ps.Run($"(Get-Container {container}).Health").SingleOrDefault()?.BaseObject;

    private void AssertBecomes(string container, string health)
    {
        SpinWait.SpinUntil(() => Health(container) == health, TimeSpan.FromSeconds(15));
        Assert.Equal(health, Health(container));
    }
}
