using ContainerTools.Core.Native;
using ContainerTools.Core.Oci;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// docker run -t for the engine's own init: once the root is built (its devpts mounted), a pty is allocated
/// in that devpts, its master sent to the console socket the spec names (the attached pwsh), and its slave
/// becomes the init's stdio and controlling terminal, so the command is PID 1 with a real terminal.
/// Started again by a plain Start-Container, with nobody listening, it runs as one without a terminal.
/// </summary>
public static class InitTerminal
{
    public static void Attach(RuntimeSpec spec)
    {
        if (!spec.Annotations.TryGetValue(SpecAnnotations.ConsoleSocket, out var socket))
            return;
        using var root = RootedPath.Open(spec.Root.Path);
        using var terminal = PseudoTerminal.OpenIn(root, default);
        try
        {
            // Waits for the receiver's reply: the command starts with the window size already set.
            ConsoleSocket.Send(socket, terminal, awaitReply: true);
        }
        catch (NativeCallException e) when (e.Errno is Errno.ENOENT or Errno.ECONNREFUSED)
        {
            return;
        }
        for (int fd = 0; fd <= 2; fd++)
            Errno.Check(Linux.dup2(terminal.Peer, fd), "dup2", "terminal");
        ControllingTerminal.Take();
    }
}
