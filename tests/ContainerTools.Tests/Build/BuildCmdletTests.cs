using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Tests.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Build;

/// <summary>Build-ContainerImage and ConvertTo-ContainerImage as a user runs them: real RUN containers, layers, the cache.</summary>
public sealed class BuildCmdletTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;
    private readonly string _context;

    public BuildCmdletTests()
    {
        _ps = Busybox.Session(_store);
        _context = _store.Scratch("context");
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    private void Write(string path, string content)
    {
        string full = Path.Combine(_context, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private PowerShellResult Build(string arguments = "-Tag test:1") =>
        _ps.Invoke($"Build-ContainerImage -Path '{_context}' {arguments}");

    private static List<string> Printed(PowerShellResult result) =>
        result.Information.Select(i => i.MessageData.ToString()!).ToList();

    /// <summary>What a container of the image prints for a shell command.</summary>
    private string Output(string image, string command) =>
        string.Join('\n', _ps.Run($"Invoke-ContainerImage {image} -Remove -Entrypoint sh -Command '-c', '{command}'").Select(o => o.ToString()));

    private void AssertNothingLeftBehind()
    {
        Assert.Empty(_ps.Run("Get-Container"));
        Assert.DoesNotContain(_store.Path, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Fact]
    public void BuildsAMultiStageDockerfileIntoFilesAndConfig()
    {
        Write("hello.txt", "hello\n");
        Write("app/a.txt", "a\n");
        Tool.Run("tar", "-C", _context, "-czf", Path.Combine(_context, "bundle.tar.gz"), "app");
        Write(".dockerignore", "secret.txt\n");
        Write("secret.txt", "secret\n");
        Write("Dockerfile", """
            ARG BASE=busybox
            FROM $BASE AS build
            ENV GREETING=hi
            WORKDIR /work
            COPY hello.txt app/ ./
            RUN echo "$GREETING from run" && echo made > made.txt && echo changed >> hello.txt && rm a.txt && rm /etc/group
            FROM busybox
            ARG PORT=8080
            COPY --from=build --chown=1000:1000 /work /srv/
            ADD bundle.tar.gz /opt/
            LABEL org.example.name="the app"
            EXPOSE $PORT
            USER 1000
            WORKDIR /srv
            ENTRYPOINT ["sh", "-c"]
            CMD ["cat made.txt"]
            """);
        var result = Build("-Tag test:1 -BuildArgument @{ PORT = '9090' }");
        result.ThrowIfFailed("build");
        Assert.Contains("hi from run", Printed(result));
        Assert.NotEmpty(result.Progress);

        var image = Assert.Single(result.Output);
        Assert.Equal("test:1", image.Text("Name"));
        dynamic config = image.Properties["Config"].Value;
        Assert.Equal(["sh", "-c"], (IEnumerable<string>)config.Entrypoint);
        Assert.Equal(["cat made.txt"], (IEnumerable<string>)config.Cmd);
        Assert.Equal("/srv", (string)config.WorkingDir);
        Assert.Equal("1000", (string)config.User);
        Assert.Equal(["9090/tcp"], (IEnumerable<string>)config.ExposedPorts);
        Assert.Equal("the app", ((IReadOnlyDictionary<string, string>)config.Labels)["org.example.name"]);

        Assert.Equal("made", Output("test:1", "cat /srv/made.txt"));
        Assert.Equal("hello\nchanged", Output("test:1", "cat /srv/hello.txt"));
        Assert.Equal("1000:1000 /srv/made.txt\n1000:1000 /srv/hello.txt", Output("test:1", "stat -c \"%u:%g %n\" /srv/made.txt /srv/hello.txt"));
        Assert.Equal("gone", Output("test:1", "test -e /srv/a.txt || echo gone"));
        Assert.Equal("a", Output("test:1", "cat /opt/app/a.txt"));
        // The second stage starts from busybox, not from the first stage: its /etc/group is untouched.
        Assert.Equal("present", Output("test:1", "test -e /etc/group && echo present"));

        var history = _ps.Run("Get-ContainerImageHistory test:1").Select(h => h.Text("CreatedBy")).ToList();
        Assert.Contains("COPY --from=build --chown=1000:1000 /work /srv/", history);
        Assert.Contains("ADD bundle.tar.gz /opt/", history);
        AssertNothingLeftBehind();
    }

    [Fact]
    public void TheCacheSkipsUnchangedStepsAndRerunsFromAChangedFile()
    {
        Write("first.txt", "1");
        Write("second.txt", "2");
        Write("Dockerfile", """
            FROM busybox
            RUN echo ran-one
            COPY first.txt /
            RUN echo ran-two
            COPY second.txt /
            RUN echo ran-three && cat /second.txt
            """);
        Assert.Equal(["ran-one", "ran-two", "ran-three", "2"], Printed(Build()));

        var again = Build();
        Assert.Empty(Printed(again));
        Assert.Contains(again.Output.Single().Text("Id"), _ps.Run("Get-ContainerImage test:1").Select(i => i.Text("Id")));

        File.SetLastWriteTimeUtc(Path.Combine(_context, "first.txt"), DateTime.UtcNow.AddHours(-1));
        Assert.Empty(Printed(Build()));

        Write("second.txt", "two");
        Assert.Equal(["ran-three", "two"], Printed(Build()));

        Assert.Equal(["ran-one", "ran-two", "ran-three", "two"], Printed(Build("-Tag test:1 -NoCache")));
        AssertNothingLeftBehind();
    }

    [Fact]
    public void ARebuildFromTheCacheIsTheSameImageAndAChangeKeepsTheTimesOfTheStepsBeforeIt()
    {
        Write("file.txt", "1");
        Write("Dockerfile", """
            FROM busybox
            ENV MODE=first
            RUN echo ran > /ran
            COPY file.txt /
            LABEL stage=last
            """);
        var first = Build().Output.Single();
        string history = "Get-ContainerImageHistory test:1 | ForEach-Object { '{0:o} {1}' -f $_.Created, $_.CreatedBy }";
        var firstHistory = _ps.Run(history).Select(h => h.ToString()).ToList();

        var again = Build("-Tag test:2").Output.Single();

        Assert.Equal(first.Text("Id"), again.Text("Id"));
        Assert.Equal(first.Properties["Created"].Value, again.Properties["Created"].Value);
        Assert.Equal(firstHistory, _ps.Run(history.Replace("test:1", "test:2", StringComparison.Ordinal)).Select(h => h.ToString()).ToList());

        // A changed file: a new image, whose steps before the COPY keep their times (newest first: LABEL, COPY, RUN, ENV).
        Write("file.txt", "2");
        var changed = Build("-Tag test:3").Output.Single();
        var changedHistory = _ps.Run(history.Replace("test:1", "test:3", StringComparison.Ordinal)).Select(h => h.ToString()).ToList();
        Assert.NotEqual(first.Text("Id"), changed.Text("Id"));
        Assert.Equal(firstHistory.Skip(2), changedHistory.Skip(2));
        Assert.NotEqual(firstHistory[1], changedHistory[1]);
        // -NoCache runs everything again: new times, a new image.
        Assert.NotEqual(changed.Text("Id"), Build("-Tag test:4 -NoCache").Output.Single().Text("Id"));
        AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData("FROM busybox\nRUN true\nFROBNICATE x", "DockerfileUnknownInstruction", ErrorCategory.InvalidData, "line 3")]
    [InlineData("FROM busybox\nCOPY missing.txt /", "BuildSourceNotFound", ErrorCategory.ObjectNotFound, "missing.txt")]
    [InlineData("FROM busybox\nCOPY ../outside /", "BuildSourceOutsideContext", ErrorCategory.InvalidArgument, "outside the build context")]
    [InlineData("FROM busybox\nRUN echo before-failing && exit 3", "BuildRunFailed", ErrorCategory.InvalidOperation, "exit code 3")]
    public void BadInputIsAnErrorRecordAndTagsNothing(string dockerfile, string errorId, ErrorCategory category, string message)
    {
        Write("Dockerfile", dockerfile);
        var result = Build();
        var error = Assert.Single(result.AllErrors);
        Assert.Equal($"{errorId},ContainerTools.Cmdlets.BuildContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message);
        if (errorId == "BuildRunFailed")
            Assert.Contains("before-failing", error.Exception.Message);
        Assert.Equal(["busybox:latest"], _ps.Run("Get-ContainerImage").Select(i => i.Text("Name")));
        AssertNothingLeftBehind();
    }

    [Fact]
    public void TargetBuildsTheNamedStage()
    {
        Write("Dockerfile", "FROM busybox AS one\nRUN echo one > /stage\nFROM busybox AS two\nRUN echo two > /stage");
        Build("-Tag test:1 -Target one").ThrowIfFailed("build");
        Assert.Equal("one", Output("test:1", "cat /stage"));
    }

    [Fact]
    public void ConvertToContainerImageCommitsAContainersChanges()
    {
        _ps.Run("New-Container busybox -Name work -Command sh, -c, 'echo committed > /made && rm /etc/group' | Start-Container; Wait-Container work");
        var image = _ps.Run("Get-Container work | ConvertTo-ContainerImage -Name snap:1 -Change 'CMD [\"cat\", \"/made\"]', 'ENV MOOD=happy' -Message saved").Single();
        Assert.Equal("snap:1", image.Text("Name"));
        Assert.Equal("committed", string.Join('\n', _ps.Run("Invoke-ContainerImage snap:1 -Remove").Select(o => o.ToString())));
        Assert.Equal("happy gone", Output("snap:1", "test -e /etc/group || echo $MOOD gone"));
        var bad = _ps.Invoke("ConvertTo-ContainerImage work -Name x:1 -Change 'RUN true'");
        Assert.Equal("InvalidChange,ContainerTools.Cmdlets.ConvertToContainerImageCommand", Assert.Single(bad.AllErrors).FullyQualifiedErrorId);
        var missing = _ps.Invoke("ConvertTo-ContainerImage nosuch -Name x:1");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.AllErrors).CategoryInfo.Category);
    }

    [Fact]
    public void TheRunContainerOfABuildKilledMinus9IsRemovedByTheNextBuild()
    {
        Write("Dockerfile", "FROM busybox\nRUN sleep 300\n");
        var containers = new ContainerStore(_store.Location);
        using (var pwsh = Pwsh.Start(_store, $"Build-ContainerImage -Path '{_context}' -Tag killed:1"))
        {
            Assert.True(SpinWait.SpinUntil(() => containers.List().Any(c => c.IsRunning), TimeSpan.FromSeconds(60)), "the RUN step never started");
            pwsh.Kill();
            pwsh.WaitForExit();
        }
        var abandoned = containers.List().Single();
        Write("Dockerfile", "FROM busybox\nRUN true\n");
        Build().ThrowIfFailed("Build-ContainerImage");
        Assert.Empty(containers.List());
        Assert.True(SpinWait.SpinUntil(() => !abandoned.State.Init!.IsAlive, TimeSpan.FromSeconds(10)), "the abandoned RUN still runs");
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(abandoned.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void ABuildTidiesTheCacheEntryTempAKilledBuildLeft()
    {
        Write("Dockerfile", "FROM busybox\nRUN true\n");
        Build().ThrowIfFailed("Build-ContainerImage");
        string cache = Path.Combine(_store.Location.Root, "build-cache");
        string leftover = Path.Combine(cache, $".tmp-{ImageCmdletTests.DeadPid()}-{Guid.NewGuid():N}");
        File.WriteAllText(leftover, "{\"layer\":");
        Build().ThrowIfFailed("Build-ContainerImage");
        Assert.False(File.Exists(leftover), "the build kept the temp of a killed build's cache entry");
        Assert.All(Directory.EnumerateFiles(cache), entry => Assert.EndsWith(".json", entry));
    }
}
