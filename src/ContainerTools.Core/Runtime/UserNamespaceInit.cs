using System.Globalization;
using System.Runtime.InteropServices;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The init of a container with a user namespace of its own (started by the monitor, NativeAOT only: see
/// <see cref="UserNamespaceClone"/>). Its own thread (<see cref="InitThread"/>) clones it into the new
/// namespaces, writes its id maps, lets it exec `ctmon init`, hands it each image layer as an id-mapped mount
/// (made here: only host root may) and then waits for it.
/// </summary>
public sealed class UserNamespaceInit : IInitProcess
{
    private readonly FileStream _release;

    private UserNamespaceInit(int pid, int release, int output, int error)
    {
        Pid = pid;
        _release = new FileStream(new SafeFileHandle(release, ownsHandle: true), FileAccess.Write, 1);
        Output = new SafeFileHandle(output, ownsHandle: true);
        Error = new SafeFileHandle(error, ownsHandle: true);
    }

    public int Pid { get; }

    /// <summary>Started by a clone in a new user namespace, outside its cgroup: the monitor moves it.</summary>
    public bool BornInCgroup => false;

    public InitThreadCalls ParentThread { get; private set; } = null!; // set by Start as soon as the init exists

    public SafeHandle Output { get; }
    public SafeHandle Error { get; }
    public Task<int> Exited { get; private set; } = null!; // set by Start as soon as the init exists

    /// <param name="arguments">`init BUNDLE STATUSFD`: the descriptor of the id-mapped layers is added.</param>
    /// <param name="lowerDirectories">The layers to hand over, in the order the init attaches them.</param>
    public static UserNamespaceInit Start(string executable, IReadOnlyList<string> arguments, int namespaces, RuntimeSpec spec, IReadOnlyList<string> lowerDirectories)
    {
        var calls = new InitThreadCalls();
        var (init, exited) = InitThread.Start(() => Clone(executable, arguments, namespaces, spec, lowerDirectories), init => init.Pid, calls);
        init.Exited = exited;
        init.ParentThread = calls;
        return init;
    }

    public void Release()
    {
        try
        {
            _release.WriteByte((byte)'1');
            _release.Dispose();
        }
        catch (IOException)
        {
            // The init died before it was released; its exit code tells the rest.
        }
    }

    public void Kill() => Linux.kill(Pid, Signals.SIGKILL);

    private static unsafe UserNamespaceInit Clone(string executable, IReadOnlyList<string> arguments, int namespaces, RuntimeSpec spec, IReadOnlyList<string> lowerDirectories)
    {
        var (stdinRead, stdinWrite) = Pipe();
        var (stdoutRead, stdoutWrite) = Pipe();
        var (stderrRead, stderrWrite) = Pipe();
        var (layers, layersForInit) = DescriptorPassing.Pair();
        int pid;
        try
        {
            // The one more descriptor the init inherits on purpose (it marks it close-on-exec itself).
            Errno.Check(Linux.fcntl(layersForInit, Linux.F_SETFD, 0), "fcntl", "layer socket");
            // The same pipe releases twice: once the maps are written (the clone's read), then when placed (the init's).
            pid = UserNamespaceClone.Start(executable, [.. arguments, layersForInit.ToString(CultureInfo.InvariantCulture)], namespaces,
                [stdinRead, stdoutWrite, stderrWrite], release: stdinRead);
        }
        catch
        {
            foreach (int fd in new[] { stdinWrite, stdoutRead, stderrRead, layers })
                Linux.close(fd);
            throw;
        }
        finally
        {
            foreach (int fd in new[] { stdinRead, stdoutWrite, stderrWrite, layersForInit })
                Linux.close(fd);
        }
        var init = new UserNamespaceInit(pid, stdinWrite, stdoutRead, stderrRead);
        try
        {
            UserNamespaceMaps.Write(pid, spec.Linux.UidMappings ?? [], spec.Linux.GidMappings ?? []);
            byte go = 1;
            Errno.Check((int)Linux.write(stdinWrite, &go, 1), "write", "release");
            SendLayers(pid, layers, lowerDirectories);
        }
        catch
        {
            init.Kill();
            throw;
        }
        finally
        {
            Linux.close(layers);
        }
        return init;
    }

    private static void SendLayers(int pid, int socket, IReadOnlyList<string> lowerDirectories)
    {
        string path = $"/proc/{pid}/ns/user";
        using var userNamespace = new SafeFileHandle(Errno.Check(Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", path), ownsHandle: true);
        foreach (string directory in lowerDirectories)
        {
            using var tree = IdMappedLayer.Open(directory, (int)userNamespace.DangerousGetHandle());
            DescriptorPassing.Send(socket, tree);
        }
    }

    private static unsafe (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Errno.Check(Linux.pipe2(fds, Linux.O_CLOEXEC), "pipe2");
        return (fds[0], fds[1]);
    }
}
