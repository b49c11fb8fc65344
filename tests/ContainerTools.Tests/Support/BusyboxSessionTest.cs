namespace ContainerTools.Tests.Support;

/// <summary>
/// The shape most module tests share: a store of their own, a PowerShell session on it with the module
/// imported, and the busybox image in the store. Dispose undoes it all, even after a failed test.
/// </summary>
public abstract class BusyboxSessionTest : IDisposable
{
    protected BusyboxSessionTest()
    {
        // xunit disposes only what it constructed: a failing set-up must undo itself.
        try
        {
            Ps = new PowerShellSession(Store);
            BusyboxImage.Import(Ps);
        }
        catch
        {
            Ps?.Dispose();
            Store.Dispose();
            throw;
        }
    }

    protected TestStore Store { get; } = new();
    protected PowerShellSession Ps { get; }

    /// <summary>Runs a shell script in a running container with Invoke-ContainerCommand; its output lines joined.</summary>
    protected string ExecIn(string container, string script) =>
        string.Join("\n", Ps.Run($"Invoke-ContainerCommand {container} sh,-c,'{script.Replace("'", "''")}'").Select(o => o.BaseObject));

    public void Dispose()
    {
        Ps.Dispose();
        Store.Dispose();
        GC.SuppressFinalize(this);
    }
}
