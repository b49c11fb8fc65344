namespace ContainerTools.Tests.Support;

/// <summary>
/// The shape module tests share: a store of their own and a PowerShell session on it with the module imported,
/// prepared by <c>setUp</c>. Dispose undoes it all, even after a failed test or a failed set-up.
/// </summary>
public abstract class SessionTest : IDisposable
{
    protected SessionTest(Action<PowerShellSession> setUp)
    {
        // xunit disposes only what it constructed: a failing set-up must undo itself.
        try
        {
            Ps = new PowerShellSession(Store);
            setUp(Ps);
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

    public virtual void Dispose()
    {
        Ps.Dispose();
        Store.Dispose();
        GC.SuppressFinalize(this);
    }
}
