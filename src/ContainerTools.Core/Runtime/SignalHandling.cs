using System.Runtime.InteropServices;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// .NET starts its signal-handling thread lazily, on first use. A thread that has joined another PID
/// namespace cannot create threads, so it must exist before such a thread starts a process (see DESIGN).
/// </summary>
public static class SignalHandling
{
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        // Registering any handler starts the thread; SIGCONT's default action is unchanged by a no-op handler.
        using var registration = PosixSignalRegistration.Create(PosixSignal.SIGCONT, _ => { });
        return true;
    });

    public static void EnsureInitialised() => _ = Initialised.Value;
}
