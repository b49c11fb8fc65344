using System.Diagnostics;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The init a spare monitor starts ahead (`ctmon init - STATUSFD`): PID 1 of fresh pid, uts, ipc and net
/// namespaces, its runtime up and its spec's JSON metadata built (~4 ms of a start), waiting on its stdin for a
/// container. Given one (its bundle and its cgroup's thread entries), it moves its own thread into the cgroup,
/// takes a mount namespace copied from the host as it is then (not as it was when the spare started), and goes on
/// as any init. Only a container wanting exactly the default namespaces, no user namespace, and a cgroup driver
/// that moves single threads (v1) takes it; for any other, the monitor kills it and starts an init as before.
/// </summary>
/// <remarks>Wire, on the init's stdin before the release byte: a <see cref="PipeMessage"/> of the bundle, then each thread entry.</remarks>
public sealed class SpareInit
{
    /// <summary>Where the bundle goes on a spare init's command line.</summary>
    public const string NoBundle = "-";

    /// <summary>What it is started in; the mount namespace comes at assignment.</summary>
    private const int Namespaces = InitProcess.Namespaces & ~Linux.CLONE_NEWNS;

    private SpareInit(InitProcess init, int statusRead)
    {
        Init = init;
        StatusRead = statusRead;
    }

    public InitProcess Init { get; }

    /// <summary>The read end of its status pipe (see <see cref="ContainerMonitor"/>).</summary>
    public int StatusRead { get; }

    /// <summary>In the spare monitor, before it has a container; null when it could not start (the container's start then starts its own).</summary>
    public static SpareInit? Start(string executablePath)
    {
        (int statusRead, int statusWrite) = InheritedPipe.Create(childReads: false, "status pipe");
        try
        {
            var start = new ProcessStartInfo(executablePath) { ArgumentList = { "init", NoBundle, statusWrite.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
            return new SpareInit(InitProcess.Start(start, Namespaces), statusRead);
        }
        catch (Exception e) when (e is IOException or EngineException or System.ComponentModel.Win32Exception)
        {
            Linux.close(statusRead);
            return null;
        }
        finally
        {
            Linux.close(statusWrite);
        }
    }

    /// <summary>
    /// Gives it the container whose bundle is <paramref name="bundle"/>; false when this container cannot take it
    /// or it is gone, and then it is killed (the caller starts an init of its own).
    /// </summary>
    public bool Assign(string bundle, LaunchHandoff handoff, ICgroup? cgroup)
    {
        if (!handoff.UserNamespace && handoff.Namespaces == InitProcess.Namespaces && cgroup?.ThreadEntries is { } entries)
        {
            byte[] message = PipeMessage.Encode([bundle, .. entries]);
            try
            {
                // Plain write(2): the pipe stream would start .NET's socket engine, a thread the monitor would keep.
                Linux.WriteAll((int)ChildStdio.Handle(Init.Process.StandardInput.BaseStream).DangerousGetHandle(), message, "stdin of the spare init");
                return true;
            }
            catch (NativeCallException)
            {
                // It died while it waited: the container starts an init of its own.
            }
        }
        Discard();
        return false;
    }

    /// <summary>Kills it (a spare monitor that got no container, or a container it does not fit).</summary>
    public void Discard()
    {
        Init.Kill();
        Linux.close(StatusRead);
    }

    /// <summary>In the spare init: its bundle and the cgroup entries to write "0" into, or null at EOF (its monitor gave it up).</summary>
    public static (string Bundle, List<string> ThreadEntries)? Receive(int fd) =>
        PipeMessage.Read(fd) is [string bundle, .. var entries] ? (bundle, entries) : null;
}
