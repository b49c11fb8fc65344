using System.Text;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// `ctrun init`: the container's init for an OCI bundle. Driven step by step by `ctrun create` over the
/// sync channel: placed in its cgroup -> enters the namespaces joined by path, builds the root and its
/// devices, runs the createContainer hooks (create runs prestart/createRuntime meanwhile) -> enters it and
/// becomes the process -> ready; then blocks on exec.fifo until `ctrun start` writes it, runs the
/// startContainer hooks and execs the command. It shares every step with the engine's own init (ContainerInit).
/// </summary>
public static class BundleInit
{
    /// <param name="stateDirectory">The container's folder in ctrun's state: exec.fifo and the compiled seccomp filter.</param>
    /// <param name="consoleSocket">Where to send the master of the container's terminal ("" for none).</param>
    public static int Run(string bundle, string id, string stateDirectory, int syncFd, int preservedFds, string consoleSocket)
    {
        Linux.fcntl(syncFd, Linux.F_SETFD, Linux.FD_CLOEXEC);
        using var sync = new SyncChannel(syncFd);
        try
        {
            var spec = OciBundle.Load(bundle);
            // Read now: after pivot_root the state directory is out of reach.
            byte[]? seccomp = SeccompFilterFile.Read(stateDirectory);
            sync.Expect(SyncChannel.Go);
            string fifoPath = Path.Combine(stateDirectory, OciStateDirectory.FifoName);
            // Opened while the host's files are in reach; read-write, so opening never blocks for a writer.
            int fifo = Errno.Check(Linux.openat(Linux.AT_FDCWD, fifoPath, Linux.O_RDWR | Linux.O_CLOEXEC, 0), "open", fifoPath);
            OciNamespaces.From(spec.Linux).EnterFromInit();
            ContainerInit.BuildRoot(spec);
            using (var root = RootedPath.Open(spec.Root.Path))
            {
                OciDevices.Create(root, spec.Linux.Devices ?? []);
                if (spec.Process.Terminal)
                    TakeTerminal(root, consoleSocket);
            }
            sync.Send(SyncChannel.Mounted);
            sync.Expect(SyncChannel.Go);
            // The spec's pid for hooks the init runs is its own, as the container sees it (runc's choice too).
            var state = new OciState(spec.OciVersion, id, OciState.Creating, Environment.ProcessId, bundle, spec.Annotations);
            OciHooks.Run("createContainer", spec.Hooks?.CreateContainer, state);
            var environment = ContainerInit.EnterRoot(spec, seccomp);
            sync.Send(SyncChannel.Ready);
            sync.Dispose();
            if (!WaitForStart(fifo))
                return 1;
            OciHooks.Run("startContainer", spec.Hooks?.StartContainer, state with { Status = OciState.Created });
            ProcessExec.Exec(spec.Process.Args, environment, preservedFds);
            return 127;
        }
        catch (ExecFailedException e)
        {
            WriteError(e.Message);
            return e.ExitCode;
        }
        catch (Exception e)
        {
            // Before ready the caller reads the channel; after it, only stderr is left.
            if (!sync.SendFailure(e.Message))
                WriteError(e.Message);
            return 1;
        }
    }

    /// <summary>A pty of the container's own devpts: the master to the console socket, the slave as our stdio and controlling terminal.</summary>
    private static void TakeTerminal(RootedPath root, string consoleSocket)
    {
        using var terminal = PseudoTerminal.OpenIn(root, default);
        ConsoleSocket.Send(consoleSocket, terminal);
        for (int fd = 0; fd < 3; fd++)
            Errno.Check(Linux.dup2(terminal.Peer, fd), "dup2", $"/dev/pts/{terminal.Number}");
        ControllingTerminal.Take();
    }

    private static bool WaitForStart(int fifo)
    {
        bool started = Linux.ReadExactly(fifo, stackalloc byte[1]);
        Linux.close(fifo);
        return started;
    }

    private static unsafe void WriteError(string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes("ctrun: " + message + "\n");
        fixed (byte* p = bytes)
            Linux.write(2, p, (nuint)bytes.Length);
    }
}
