using System.Text.Json;
using ContainerTools.Core;
using ContainerTools.Core.Containers;

namespace ContainerTools.Tests.Containers;

/// <summary>The rules of health as Docker has them: the image's HEALTHCHECK, the flags over it, and how probes move the status.</summary>
public sealed class ContainerHealthTests
{
    private static readonly HealthCheck Check = new(["CMD-SHELL", "true"], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.Zero, 2);

    private static HealthProbe Probe(int exitCode) => new(DateTime.UtcNow, DateTime.UtcNow, exitCode, "");

    [Fact]
    public void APassIsHealthyAtOnceAndRetriesFailuresInARowUnhealthy()
    {
        var health = ContainerHealth.ForNewRun(null).After(Probe(1), Check, inStartPeriod: false);
        Assert.Equal((ContainerHealth.Starting, 1), (health.Status, health.FailingStreak));
        health = health.After(Probe(0), Check, inStartPeriod: false);
        Assert.Equal((ContainerHealth.Healthy, 0), (health.Status, health.FailingStreak));
        health = health.After(Probe(1), Check, false).After(Probe(-1), Check, false);
        Assert.Equal((ContainerHealth.Unhealthy, 2), (health.Status, health.FailingStreak));
        for (int i = 0; i < 5; i++)
            health = health.After(Probe(i), Check, false);
        Assert.Equal([0, 1, 2, 3, 4], health.Log.Select(p => p.ExitCode));
    }

    [Fact]
    public void FailuresInTheStartPeriodDoNotCount()
    {
        var health = ContainerHealth.ForNewRun(null).After(Probe(1), Check, true).After(Probe(1), Check, true).After(Probe(1), Check, true);
        Assert.Equal((ContainerHealth.Starting, 0, 3), (health.Status, health.FailingStreak, health.Log.Count));
    }

    [Fact]
    public void AnEarlierRunsHealthIsNotShownForThisOne()
    {
        var record = new ContainerRecord { Id = new string('a', 64), Name = "x", Image = "busybox", Created = DateTime.UtcNow, Command = ["true"], Hostname = "x", HealthCheck = Check };
        var started = DateTime.UtcNow;
        var state = new ContainerState { Status = ContainerStatus.Running, StartedAt = started };
        var earlier = new ContainerHealth(ContainerHealth.Healthy, 0, [Probe(0)], started.AddSeconds(-5));
        Assert.Equal(ContainerHealth.Starting, ContainerSnapshot.Observe(record, state, health: earlier).Health!.Status);
        Assert.Equal(ContainerHealth.Healthy, ContainerSnapshot.Observe(record, state, health: earlier with { RunStarted = started }).Health!.Status);
        Assert.Null(ContainerSnapshot.Observe(record, state with { Status = ContainerStatus.Exited }, health: earlier).Health);
        Assert.Null(ContainerSnapshot.Observe(record with { HealthCheck = null }, state, health: earlier).Health);
    }

    [Fact]
    public void TheImagesCheckIsReadAsDockerWritesItAndTheFlagsGoOverIt()
    {
        var image = HealthCheck.FromImage(JsonDocument.Parse("""{"Test":["CMD","curl","-f","http://localhost/"],"Interval":5000000000,"Retries":7}""").RootElement);
        Assert.NotNull(image);
        Assert.Equal(["curl", "-f", "http://localhost/"], image.Command);
        Assert.Equal((TimeSpan.FromSeconds(5), HealthCheck.DefaultTimeout, TimeSpan.Zero, 7), (image.Interval, image.Timeout, image.StartPeriod, image.Retries));
        Assert.Null(HealthCheck.FromImage(JsonDocument.Parse("""{"Test":["NONE"]}""").RootElement));
        Assert.Null(HealthCheck.FromImage(JsonDocument.Parse("""{"Test":"CMD true"}""").RootElement));
        Assert.Null(HealthCheck.FromImage(null));

        var given = HealthCheck.Resolve(image, "test -f /ok", TimeSpan.FromSeconds(2), null, null, null, none: false)!;
        Assert.Equal(["/bin/sh", "-c", "test -f /ok"], given.Command);
        Assert.Equal((TimeSpan.FromSeconds(2), 7), (given.Interval, given.Retries));
        Assert.Null(HealthCheck.Resolve(image, null, null, null, null, null, none: true));
        Assert.Null(HealthCheck.Resolve(null, null, TimeSpan.FromSeconds(2), null, null, null, none: false));
        var error = Assert.Throws<EngineException>(() => HealthCheck.Resolve(image, null, TimeSpan.Zero, null, null, null, false));
        Assert.Equal("InvalidHealthInterval", error.ErrorId);
    }
}
