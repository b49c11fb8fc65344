namespace ContainerTools.Tests.Support;

/// <summary>A test with its own store and session, and the busybox image in the store.</summary>
public abstract class BusyboxSessionTest() : SessionTest(BusyboxImage.Import)
{
    /// <summary>Runs a shell script in a running container with Invoke-ContainerCommand; its output lines joined.</summary>
    protected string ExecIn(string container, string script) =>
        string.Join("\n", Ps.Run($"Invoke-ContainerCommand {container} sh,-c,'{script.Replace("'", "''")}'").Select(o => o.BaseObject));
}
