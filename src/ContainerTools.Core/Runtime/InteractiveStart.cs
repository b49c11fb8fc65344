using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// docker run -it / docker start -ai: starts a container whose init has a terminal (created with
/// <see cref="ContainerOptions.Terminal"/>), receives that terminal on the container's console socket while
/// it starts, and connects it to the host's terminal until the container exits. The terminal is relayed
/// here, not by the monitor, so the command's output is not in the container's log.
/// </summary>
public sealed class InteractiveStart(ContainerLifecycle lifecycle)
{
    /// <summary>Refuses, before anything is created or started, when there is no terminal to connect to.</summary>
    public static void RequireTerminal(HostTerminal host, string target)
    {
        if (!host.IsTerminal)
            throw new EngineException("NoTerminal", ErrorKind.InvalidOperation, target,
                "an interactive container needs a terminal, but this PowerShell's input or output is redirected");
    }

    /// <summary>
    /// Returns the container as it ended, or as it is when <paramref name="cancel"/> ends the attachment
    /// (then it still runs: the caller decides whether to stop it).
    /// </summary>
    public ContainerSnapshot Run(string nameOrId, HostTerminal host, CancellationToken cancel)
    {
        var container = lifecycle.Store.Find(nameOrId);
        RequireTerminal(host, container.Name);
        if (RuntimeSpec.Load(lifecycle.Store.Paths(container.Id).Config).Process.Terminal is false)
            throw new EngineException("NoContainerTerminal", ErrorKind.InvalidOperation, container.Name,
                $"container {container.Name} was created without a terminal (-Interactive)");
        if (container.IsRunning)
            throw new EngineException("ContainerRunning", ErrorKind.ResourceBusy, container.Name,
                $"container {container.Name} is running already: its terminal belongs to whoever started it");
        using var listener = ConsoleListener.Listen(lifecycle.Store.Paths(container.Id).ConsoleSocket);
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // The init waits for us while it starts: its terminal is taken on another thread meanwhile.
        var received = Task.Run(() =>
        {
            try
            {
                return listener.Accept(host.Size, starting.Token);
            }
            catch
            {
                // Closed at once, so an init waiting on it fails its start rather than Start waiting for it.
                listener.Dispose();
                throw;
            }
        }, CancellationToken.None);
        try
        {
            container = lifecycle.Start(container.Id);
        }
        catch
        {
            starting.Cancel();
            // Waits for the taker to stop (it sees the cancel within its poll slice); a terminal it got is closed.
            try
            {
                received.GetAwaiter().GetResult().Dispose();
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidDataException or NativeCallException)
            {
            }
            throw;
        }
        using var terminal = received.GetAwaiter().GetResult();
        // The terminal hangs up when PID 1 has exited (its namespace's other processes die with it), even
        // if that was before now: what it wrote is still read then.
        TerminalRelay.Run(host, terminal, exited: -1, cancel);
        return cancel.IsCancellationRequested ? container : lifecycle.Wait(container.Id, null);
    }
}
