using System.Diagnostics;
using ContainerTools.Core.Containers;
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

    [Fact]
    public void SecondStartIsMonitoredByTheSpareTheFirstLeft()
    {
        string[] output = Lines(Pwsh.Run(_store, $"""
            $first = Invoke-ContainerImage busybox -Detach -- true
            {AwaitSpare}
            $alive = Test-Path "/proc/$spare"
            $second = New-Container busybox -Start -- sleep 300
            "$spare $alive $($second.Id)"
            """));
        var (spare, aliveBefore, id) = (int.Parse(output[0]), bool.Parse(output[1]), output[2]);
        Assert.True(aliveBefore);
        var second = new ContainerStore(_store.Location).Read(id)!;
        Assert.Equal(ContainerStatus.Running, second.Status);
        Assert.Equal(spare, second.State.Monitor!.Pid);
        // It took the container's name back with the id: it is a monitor like any other now.
        Assert.Equal("ctmon\n", File.ReadAllText($"/proc/{spare}/comm"));
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
        using (var pwsh = Pwsh.Start(_store, $"""
            Invoke-ContainerImage busybox -Remove -- true
            {AwaitSpare}
            [Console]::Out.WriteLine($spare)
            [Console]::In.ReadLine() | Out-Null
            """))
        {
            spare = int.Parse(pwsh.StandardOutput.ReadLine()!);
            Assert.Equal(SpareMonitor.IdleName + "\n", File.ReadAllText($"/proc/{spare}/comm"));
            if (killed)
                pwsh.Kill();
            else
                pwsh.StandardInput.Close();
            pwsh.WaitForExit();
        }
        Assert.True(SpinWait.SpinUntil(() => !IsSpare(spare), TimeSpan.FromSeconds(1)), $"spare {spare} outlived its launcher");
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

    private static string[] Lines(string output) => output.Trim().Split(' ');

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
