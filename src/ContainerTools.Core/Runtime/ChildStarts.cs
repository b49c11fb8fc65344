using System.Diagnostics;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Keeps a descriptor that one start hands its child by inheritance (<see cref="InheritedPipe"/>) from reaching a
/// monitor this process starts meanwhile on another thread (a spare, from the pool): such a monitor would hold it
/// open for its container's whole life, and the pipe would never end (an exec's start would never be known). Both
/// kinds of start hold <see cref="Gate"/> while the descriptor exists.
/// </summary>
public static class ChildStarts
{
    public static readonly Lock Gate = new();

    /// <summary>Starts a monitor, never while another start's inheritable descriptor exists.</summary>
    public static Process StartMonitor(ProcessStartInfo start)
    {
        lock (Gate)
            return Process.Start(start)!;
    }
}
