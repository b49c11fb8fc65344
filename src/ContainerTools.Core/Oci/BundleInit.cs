using System.Text;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Oci;

/// <summary>
/// `ctrun init`: the container's init for an OCI bundle. Driven step by step by `ctrun create` over the
/// sync channel: placed in its cgroup -> builds the root (create runs prestart/createRuntime hooks) ->
/// enters it and becomes the process -> ready; then blocks on exec.fifo until `ctrun start` writes it, and
/// execs the command. It shares every step with the engine's own init (ContainerInit).
/// </summary>
public static class BundleInit
{
    public static int Run(string bundle, string fifoPath, int syncFd, int preservedFds)
    {
        Linux.fcntl(syncFd, Linux.F_SETFD, Linux.FD_CLOEXEC);
        using var sync = new SyncChannel(syncFd);
        int fifo;
        try
        {
            var spec = OciBundle.Load(bundle);
            sync.Expect(SyncChannel.Go);
            if (OciNamespaces.From(spec.Linux).NewCgroup)
                Errno.Check(Linux.unshare(Linux.CLONE_NEWCGROUP), "unshare", "cgroup");
            // Opened while the host's files are in reach; read-write, so opening never blocks for a writer.
            fifo = Errno.Check(Linux.openat(Linux.AT_FDCWD, fifoPath, Linux.O_RDWR | Linux.O_CLOEXEC, 0), "open", fifoPath);
            if (spec.Process.Terminal)
                ControllingTerminal.Take();
            ContainerInit.BuildRoot(spec);
            sync.Send(SyncChannel.Mounted);
            sync.Expect(SyncChannel.Go);
            ContainerInit.EnterRoot(spec, seccomp: null);
            sync.Send(SyncChannel.Ready);
            sync.Dispose();
            if (!WaitForStart(fifo))
                return 1;
            ProcessExec.Exec(spec.Process.Args, spec.Process.Env, preservedFds);
            return 127;
        }
        catch (ExecFailedException e)
        {
            WriteError(e.Message);
            return e.ExitCode;
        }
        catch (Exception e)
        {
            sync.SendFailure(e.Message);
            return 1;
        }
    }

    private static unsafe bool WaitForStart(int fifo)
    {
        byte go;
        nint read;
        do
            read = Linux.read(fifo, &go, 1);
        while (read < 0 && Errno.Last == Errno.EINTR);
        Linux.close(fifo);
        return read == 1;
    }

    private static unsafe void WriteError(string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes("ctrun: " + message + "\n");
        fixed (byte* p = bytes)
            Linux.write(2, p, (nuint)bytes.Length);
    }
}
