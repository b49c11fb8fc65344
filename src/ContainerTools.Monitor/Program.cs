using System.Globalization;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

namespace ContainerTools.Monitor;

/// <summary>
/// ctmon: `ctmon monitor ROOT RUNROOT ID [SEALEDFD]` watches one container for its whole life;
/// `ctmon monitor ROOT RUNROOT - SEALEDFD GROUP|-` is a spare monitor (<see cref="SpareMonitor"/>): set up ahead, it reads
/// the container id on its stdin, then is that container's monitor (it exits at EOF without one);
/// `ctmon init BUNDLE STATUSFD [LAYERSFD]` is that container's init (started by the monitor, never by hand), and
/// `ctmon init - STATUSFD` a spare monitor's init started ahead (<see cref="SpareInit"/>);
/// `ctmon watch ROOT RUNROOT ID ...` is the monitor again once the container has settled, execve'd by itself
/// (<see cref="MonitorHandOver"/>); `ctmon restart ROOT RUNROOT ID` is the monitor again, execve'd by itself to start the
/// container's next run (<see cref="MonitorRestart"/>); `ctmon health ROOT RUNROOT ID` probes its health
/// (<see cref="HealthChecker"/>); `ctmon exec REQUEST` enters a running container and execs a command (started by Invoke-ContainerCommand).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 6 && args[0] == "monitor" && args[3] == SpareMonitor.NoId)
            return Spare(new StoreLocation(args[1], args[2]), int.Parse(args[4], CultureInfo.InvariantCulture), args[5] == SpareMonitor.NoId ? null : args[5]);
        if (args.Length is 4 or 5 && args[0] == "monitor")
            return Monitor(new StoreLocation(args[1], args[2]), args[3], args.Length == 5 ? int.Parse(args[4], CultureInfo.InvariantCulture) : null);
        if (args.Length == 4 && args[0] == MonitorRestart.Mode)
            return Restart(new StoreLocation(args[1], args[2]), args[3]);
        if (args.Length == 4 && args[0] == HealthChecker.Mode)
            return Health(new StoreLocation(args[1], args[2]), args[3]);
        if (args.Length == 9 && args[0] == MonitorHandOver.Mode)
            return Watch(new StoreLocation(args[1], args[2]), args[3], MonitorHandOver.Parse(args[4..]));
        if (args.Length == 3 && args[0] == "init" && args[1] == SpareInit.NoBundle)
            return ContainerInit.RunSpare(int.Parse(args[2], CultureInfo.InvariantCulture));
        if (args.Length is 3 or 4 && args[0] == "init")
            return ContainerInit.Run(args[1], int.Parse(args[2], CultureInfo.InvariantCulture),
                args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : -1);
        if (args.Length == 2 && args[0] == "exec")
            return ExecJoin.Run(args[1]);
        if (args.Length == 3 && args[0] == "exec" && args[2] == UserNamespaceExec.Inside)
            return ExecJoin.Run(args[1], insideUserNamespace: true);
        Console.Error.WriteLine("usage: ctmon monitor ROOT RUNROOT ID [SEALEDFD] | ctmon monitor ROOT RUNROOT - SEALEDFD GROUP|- | ctmon watch ROOT RUNROOT ID PID OUTFD ERRFD LOCKFD STARTED | ctmon restart ROOT RUNROOT ID | ctmon health ROOT RUNROOT ID | ctmon init BUNDLE|- STATUSFD [LAYERSFD] | ctmon exec REQUEST");
        return 2;
    }

    private static int Monitor(StoreLocation store, string id, int? parentInitCopy)
    {
        var (launcher, devNull) = Detach();
        return Run(store, id, parentInitCopy is int copy ? SealedExecutable.AdoptFromParent(copy) : null, launcher, devNull);
    }

    /// <summary>
    /// The spare: all that does not depend on the container is done before its id comes, the JSON metadata of the
    /// record and state included (~1 ms of one-time work in a fresh process), and its init is started ahead
    /// (<see cref="SpareInit"/>). No store is touched before the id. <paramref name="group"/>, its container's cgroup
    /// made ahead by the launcher (<see cref="SpareCgroup"/>), is removed here when no container comes.
    /// </summary>
    private static int Spare(StoreLocation store, int parentInitCopy, string? group)
    {
        SpareMonitor.NameThisProcessIdle();
        var (launcher, devNull) = Detach();
        // The launcher is alive now (it waits for our id); later its copy could be gone with it.
        var initCopy = SealedExecutable.AdoptFromParent(parentInitCopy) ?? SealedExecutable.Of(Environment.ProcessPath!);
        using var hangup = ContainerMonitor.IgnoreHangup();
        var spareInit = SpareInit.Start(initCopy.Path);
        ContainerStore.WarmJson();
        // Console.Out is made now (its stream and encoder), not between the id and the answer.
        Console.Out.Flush();
        string? id = SpareMonitor.ReceiveId(launcher);
        if (id is null)
        {
            spareInit?.Discard();
            SpareCgroup.Delete(group);
            return 0;
        }
        MonitorHandOver.NameThisProcess();
        // Said before the store is touched: a launcher that hears nothing may start a fresh monitor instead.
        Console.Out.WriteLine(SpareMonitor.Taken);
        Console.Out.Flush();
        return Run(store, id, initCopy, launcher, devNull, spareInit);
    }

    /// <summary>
    /// Off the terminal and out of the caller's session, so closing either never ends the container. Returns the
    /// launcher's pipe (stdin, kept beside a /dev/null stdin) and that /dev/null.
    /// </summary>
    private static (int Launcher, int DevNull) Detach()
    {
        Linux.setsid();
        Linux.close_range(3, uint.MaxValue, Linux.CLOSE_RANGE_CLOEXEC);
        int devNull = Errno.Check(Linux.openat(-100, "/dev/null", Linux.O_RDWR | Linux.O_CLOEXEC, 0), "open", "/dev/null");
        int launcher = Errno.Check(Linux.fcntl(0, Linux.F_DUPFD_CLOEXEC, 3), "fcntl(F_DUPFD_CLOEXEC)", "stdin");
        Linux.dup2(devNull, 0);
        return (launcher, devNull);
    }

    private static int Run(StoreLocation store, string id, SealedExecutable? initCopy, int launcher, int devNull, SpareInit? spareInit = null, bool restart = false)
    {
        try
        {
            var monitor = new ContainerMonitor(new ContainerStore(store), id, Environment.ProcessPath!, initCopy, launcher, spareInit, restart);
            return monitor.Run(error => Report(error, devNull));
        }
        catch (Exception e)
        {
            Report(e.Message, devNull);
            return 1;
        }
    }

    /// <summary>`ctmon restart`: the monitor again, execve'd by itself to start the next run of its container's restart policy.</summary>
    private static int Restart(StoreLocation store, string id)
    {
        MonitorHandOver.NameThisProcess();
        var (launcher, devNull) = Detach();
        // No launcher waits: its stdin was /dev/null already.
        Linux.close(launcher);
        return Run(store, id, null, -1, devNull, restart: true);
    }

    /// <summary>`ctmon health`: the container's health checker (<see cref="HealthChecker"/>), detached as a monitor is.</summary>
    private static int Health(StoreLocation store, string id)
    {
        var (launcher, devNull) = Detach();
        Linux.close(launcher);
        Linux.dup2(devNull, 1);
        Linux.dup2(devNull, 2);
        return new HealthChecker(new ContainerStore(store), id, Environment.ProcessPath!).Run();
    }

    private static int Watch(StoreLocation store, string id, MonitorHandOver handOver)
    {
        MonitorHandOver.NameThisProcess();
        // What was handed over is ours alone: no CNI plugin run at the end inherits it.
        Linux.close_range(3, uint.MaxValue, Linux.CLOSE_RANGE_CLOEXEC);
        return new ContainerMonitor(new ContainerStore(store), id, Environment.ProcessPath!).Watch(handOver);
    }

    /// <summary>The one line the launching cmdlet waits for; then stdout and stderr let go of its pipes.</summary>
    private static void Report(string? error, int devNull)
    {
        try
        {
            string line = error is null ? MonitorLauncher.Running : MonitorLauncher.Failed + error.Replace("\n", "\\n", StringComparison.Ordinal);
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
        catch (IOException)
        {
            // The caller is gone (killed mid-start): the container runs on regardless.
        }
        Linux.dup2(devNull, 1);
        Linux.dup2(devNull, 2);
    }
}
