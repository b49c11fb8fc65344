using System.Diagnostics;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.Cgroups.V1;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>
/// The spare monitor a process keeps for its next start. Watched in a pwsh of its own: the spare is one per
/// process, and the tests of this process start containers from many stores at once.
/// </summary>
public sealed class SpareMonitorTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public SpareMonitorTests()
    {
        _ps = new PowerShellSession(_store);
        BusyboxImage.Import(_ps);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    /// <summary>Waits (pwsh) for the spare its first start left, into $spare.</summary>
    private const string AwaitSpare = """
        $spare = $null
        for ($i = 0; $i -lt 400 -and -not $spare; $i++) {
            $spare = [ContainerTools.Core.Runtime.SpareMonitor]::KeptPid
            if (-not $spare) { Start-Sleep -Milliseconds 25 }
        }
        if (-not $spare) { throw 'no spare monitor after the first start' }
        """;

    /// <summary>Waits (pwsh) for the init the spare in $spare starts ahead, into $spareInit.</summary>
    private const string AwaitSpareInit = """
        $spareInit = $null
        for ($i = 0; $i -lt 400 -and -not $spareInit; $i++) {
            $spareInit = Get-ChildItem "/proc/$spare/task" | ForEach-Object { Get-Content "$($_.FullName)/children" } | Where-Object { $_ } | Select-Object -First 1
            if (-not $spareInit) { Start-Sleep -Milliseconds 25 }
        }
        if (-not $spareInit) { throw 'the spare monitor started no init' }
        $spareInit = [int]"$spareInit".Trim()
        """;

    [Fact]
    public void SecondStartIsMonitoredByTheSpareTheFirstLeftAndRunsItsInit()
    {
        var (spare, spareInit, second) = SecondStartBesideASpare("Invoke-ContainerImage busybox -Detach -- true",
            "New-Container busybox -Start -Memory 64MB -- sleep 300");
        Assert.Equal(ContainerStatus.Running, second.Status);
        Assert.Equal(spare, second.State.Monitor!.Pid);
        Assert.Equal(spareInit, second.State.Init!.Pid);
        // It took the container's name back with the id: it is a monitor like any other now.
        Assert.Equal("ctmon\n", File.ReadAllText($"/proc/{spare}/comm"));
        // The init moved itself into the container's cgroup, and took a mount namespace of its own at assignment.
        string group = "/containertools/" + second.Id;
        Assert.Contains(File.ReadAllLines($"/proc/{spareInit}/cgroup"), line => line.Contains(":memory:", StringComparison.Ordinal) && line.EndsWith(group, StringComparison.Ordinal));
        Assert.NotEqual(new FileInfo($"/proc/{spare}/ns/mnt").LinkTarget, new FileInfo($"/proc/{spareInit}/ns/mnt").LinkTarget);
    }

    [Fact]
    public void ContainerWantingOtherNamespacesStartsItsOwnInitBesideTheSpare()
    {
        var (spare, spareInit, second) = SecondStartBesideASpare("Invoke-ContainerImage busybox -Remove -- true",
            "New-Container busybox -Start -Network host -- sleep 300");
        Assert.Equal(ContainerStatus.Running, second.Status);
        Assert.Equal(spare, second.State.Monitor!.Pid);
        Assert.NotEqual(spareInit, second.State.Init!.Pid);
        Assert.Equal(new FileInfo("/proc/self/ns/net").LinkTarget, new FileInfo($"/proc/{second.State.Init.Pid}/ns/net").LinkTarget);
    }

    [Fact]
    public void KilledSpareFallsBackToAFreshMonitorAndTheStartSucceeds()
    {
        string[] output = Lines(Pwsh.Run(_store, $"""
            Invoke-ContainerImage busybox -Remove -- true
            {AwaitSpare}
            Stop-Process -Id $spare -Force
            # At once: the start meets the spare dying or dead, and either way starts a monitor of its own.
            $second = Invoke-ContainerImage busybox -Detach -- sleep 300
            "$spare $($second.Id)"
            """));
        var (spare, id) = (int.Parse(output[0]), output[1]);
        var second = new ContainerStore(_store.Location).Read(id)!;
        Assert.Equal(ContainerStatus.Running, second.Status);
        Assert.NotEqual(spare, second.State.Monitor!.Pid);
        Assert.True(second.State.Monitor.IsAlive);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SpareEndsWithTheProcessThatKeptIt(bool killed)
    {
        int spare;
        string group;
        using (var pwsh = Pwsh.Start(_store, $"""
            Invoke-ContainerImage busybox -Remove -- true
            {AwaitSpare}
            [Console]::Out.WriteLine($spare)
            [Console]::In.ReadLine() | Out-Null
            """))
        {
            spare = int.Parse(pwsh.StandardOutput.ReadLine()!);
            // Named once its runtime is up, moments after it was started.
            Assert.True(SpinWait.SpinUntil(() => IsSpare(spare), TimeSpan.FromSeconds(10)), $"process {spare} never became a waiting spare");
            group = File.ReadAllText($"/proc/{spare}/cmdline").Split('\0')[6];
            if (killed)
                pwsh.Kill();
            else
                pwsh.StandardInput.Close();
            pwsh.WaitForExit();
        }
        // Generous: on a loaded machine (a suite in parallel) the spare may still be starting its runtime when its launcher goes.
        Assert.True(SpinWait.SpinUntil(() => !IsSpare(spare), TimeSpan.FromSeconds(15)), $"spare {spare} outlived its launcher");
        // Its cgroup, made for a container that never came, went with it.
        Assert.True(SpinWait.SpinUntil(() => !Hierarchies().Any(h => Directory.Exists(Path.Combine(h, group))), TimeSpan.FromSeconds(15)), $"the spare's group {group} outlived it");
    }

    [Fact]
    public void SparesCgroupIsMadeAheadAndRenamedToTheContainers()
    {
        string[] output = Lines(Pwsh.Run(_store, $"""
            Invoke-ContainerImage busybox -Remove -- true
            {AwaitSpare}
            $group = (Get-Content -Raw "/proc/$spare/cmdline").Split([char]0)[6]
            $madeAhead = Test-Path "/sys/fs/cgroup/memory/$group"
            $second = New-Container busybox -Start -Memory 64MB -- sleep 300
            "$group $madeAhead $($second.Id)"
            """));
        var (group, madeAhead, id) = (output[0], output[1], output[2]);
        Assert.StartsWith("containertools/spare-", group, StringComparison.Ordinal);
        // Named after the store, so a clean-up that looks for the store's name finds one left behind.
        Assert.Contains(Path.GetFileName(_store.Path), group, StringComparison.Ordinal);
        Assert.Equal("True", madeAhead);
        foreach (string hierarchy in Hierarchies())
        {
            Assert.False(Directory.Exists(Path.Combine(hierarchy, group)), $"the spare's group is still in {hierarchy}");
            Assert.True(Directory.Exists(Path.Combine(hierarchy, Core.Isolation.Cgroups.Cgroups.PathFor(id))), $"the container's group is missing in {hierarchy}");
        }
        // The limit was written on the renamed group.
        Assert.Equal((64L << 20).ToString(), File.ReadAllText($"/sys/fs/cgroup/memory/{Core.Isolation.Cgroups.Cgroups.PathFor(id)}/memory.limit_in_bytes").Trim());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SpareCgroupOfAKilledLauncherIsRemovedByTheNextProcessesSpare(bool pidReused)
    {
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        gone.WaitForExit();
        // A launcher whose pid has since been given to another process (here the test's own) is gone as well.
        var self = Core.Containers.ProcessIdentity.Of(Environment.ProcessId)!;
        string launcher = pidReused ? Core.Containers.ProcessStamp.Of(self with { StartTime = self.StartTime - 1 }) : gone.Id.ToString();
        string group = $"{Core.Isolation.Cgroups.Cgroups.ContainersParent}/spare-{launcher}-1-{Path.GetFileName(_store.Path)}";
        foreach (string hierarchy in Hierarchies())
            Directory.CreateDirectory(Path.Combine(hierarchy, group));
        Pwsh.Run(_store, $"""
            Invoke-ContainerImage busybox -Remove -- true
            {AwaitSpare}
            """);
        foreach (string hierarchy in Hierarchies())
            Assert.False(Directory.Exists(Path.Combine(hierarchy, group)), $"the dead launcher's spare group is still in {hierarchy}");
    }

    [Fact]
    public void StartsAlternatingBetweenTwoStoresInOneProcessEachRun()
    {
        using var other = new TestStore();
        var runs = new[] { new ContainerRunner(_store), new ContainerRunner(other) };
        for (int i = 0; i < 6; i++)
        {
            var (code, stdout, stderr) = runs[i % 2].Run(new ContainerOptions { Command = ["echo", $"run {i}"] });
            Assert.True(code == 0, $"run {i} exited {code}: {stderr}");
            Assert.Equal($"run {i}", stdout);
        }
    }

    /// <summary>The v1 hierarchies a container's group is made in.</summary>
    private static IEnumerable<string> Hierarchies()
    {
        var mounts = CgroupMounts.Read();
        return CgroupV1Driver.Controllers.Where(mounts.V1Controllers.ContainsKey).Select(c => mounts.V1Controllers[c]).Distinct();
    }

    private static string[] Lines(string output) => output.Trim().Split(' ');

    /// <summary>
    /// In a pwsh of its own: <paramref name="first"/>, a wait for the spare it leaves and that spare's init, then
    /// <paramref name="second"/> (which returns the container); the spare's pid, its init's pid and the second container.
    /// </summary>
    private (int Spare, int SpareInit, ContainerSnapshot Second) SecondStartBesideASpare(string first, string second)
    {
        string[] output = Lines(Pwsh.Run(_store, $"""
            {first} | Out-Null
            {AwaitSpare}
            {AwaitSpareInit}
            $second = {second}
            "$spare $spareInit $($second.Id)"
            """));
        return (int.Parse(output[0]), int.Parse(output[1]), new ContainerStore(_store.Location).Read(output[2])!);
    }

    private static bool IsSpare(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm") == SpareMonitor.IdleName + "\n" && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
