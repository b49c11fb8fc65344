namespace ContainerTools.Tests.Support;

/// <summary>A test with its own store and session, and the busybox image in the store.</summary>
public abstract class BusyboxSessionTest() : SessionTest(BusyboxImage.Import)
{
    /// <summary>Runs a shell script in a running container with Invoke-ContainerCommand; its output lines joined.</summary>
    protected string ExecIn(string container, string script) =>
        string.Join("\n", Ps.Run($"Invoke-ContainerCommand {container} sh,-c,'{script.Replace("'", "''")}'").Select(o => o.BaseObject));

    /// <summary>A command that writes tick1, tick2, ... every 0.2 s until it is stopped.</summary>
    protected const string Ticker = "sh -c 'i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.2; done'";

    /// <summary>
    /// Types <paramref name="command"/> in a pwsh on a terminal, presses Ctrl+C once tick<paramref name="ticks"/>
    /// shows (lines written after the command started arrive while it runs), checks that Ctrl+C also stopped
    /// the rest of the typed line, and returns the status of the container named ticker afterwards.
    /// </summary>
    protected string InterruptOnTerminal(string command, int ticks)
    {
        using var terminal = Tmux.PwshOn(Store);
        terminal.WaitFor(@"^PS .*>\s*$");
        terminal.TypeLine(command + "; 'went-on'");
        terminal.WaitFor($"^tick{ticks}$");
        terminal.Press("C-c");
        terminal.WaitFor(@"^tick\d+\s*\n(.*\n)*PS .*>\s*$");
        terminal.TypeLine("'status=' + (Get-Container ticker).Status");
        string status = terminal.WaitFor(@"^status=(\w+)$").Groups[1].Value;
        Assert.DoesNotMatch(@"^went-on$", terminal.Screen());
        return status;
    }
}
