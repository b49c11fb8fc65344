using System.Diagnostics;
using ContainerTools.Core.Containers;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>Containers outlive the pwsh that started them; several pwsh processes share one store safely.</summary>
public sealed class SessionTests : BusyboxSessionTest
{
    [Fact]
    public void AContainerOutlivesThePwshThatStartedItAndAnotherSessionStopsIt()
    {
        Pwsh.Run(Store, "New-Container busybox -Name keeper -Start -- sh -c 'echo started; sleep 300' | Out-Null");
        var info = Ps.Run("Get-Container keeper").Single();
        Assert.Equal("Running", info.Properties["Status"].Value);
        Assert.True(Directory.Exists($"/proc/{info.Properties["Pid"].Value}"));
        Assert.Equal(["started"], Ps.Run("Get-ContainerLog keeper").Select(o => (string)o.BaseObject));
        var stopped = Ps.Run("Stop-Container keeper -Timeout 1 -PassThru").Single();
        Assert.Equal("Exited", stopped.Properties["Status"].Value);
        // sh as PID 1 has no SIGTERM handler: the timeout ran out and SIGKILL ended it.
        Assert.Equal(137, stopped.Properties["ExitCode"].Value);
    }

    [Fact]
    public void FourPwshProcessesStartingFiveContainersEachAtOnceLoseNothing()
    {
        string go = Path.Combine(Store.Scratch("barrier"), "go");
        var processes = Enumerable.Range(0, 4).Select(_ => Pwsh.Start(Store, $$"""
            while (-not (Test-Path '{{go}}')) { Start-Sleep -Milliseconds 10 }
            1..5 | ForEach-Object { New-Container busybox -Start sleep 300 | Out-Null }
            """)).ToList();
        try
        {
            File.WriteAllText(go, "");
            foreach (var process in processes)
            {
                process.StandardInput.Close();
                string stderr = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, stderr);
            }
        }
        finally
        {
            foreach (var process in processes)
                process.Dispose();
        }
        var all = new ContainerStore(Store.Location).List();
        Assert.Equal(20, all.Count);
        Assert.All(all, c => Assert.True(c.IsRunning && c.State.Init!.IsAlive, $"{c.Name} is {c.Status}"));
        Assert.Equal(20, all.Select(c => c.Name).Distinct().Count());
        Assert.Equal(20, Ps.Run("Get-Container -Status Running").Count);
    }
}
