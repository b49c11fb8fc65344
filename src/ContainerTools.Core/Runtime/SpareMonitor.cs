using System.Diagnostics;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A `ctmon monitor ROOT RUNROOT - SEALEDFD SPAREGROUP` started ahead of the next container of this process: its runtime is
/// up, its container-independent setup done and its init started (<see cref="SpareInit"/>), and it waits on its
/// stdin for a container id. It holds no lock and touches no store before it has one; it exits at EOF, so a
/// launcher that ends (even killed) leaves none behind. One is kept per process, for the (monitor, store) started
/// last: a start from another store closes the kept one. Idle, it costs two small processes until the next start
/// or the end of the process that kept it (Remove-Module does not end it). Its container's cgroup is made with it
/// (<see cref="SpareCgroup"/>, "-" on its command line when there is none).
/// </summary>
/// <remarks>
/// Wire: the id as a <see cref="PipeMessage"/>, then the <see cref="LaunchHandoff"/> byte. The spare answers
/// <see cref="Taken"/> on stdout before anything else, so a spare that died before it took the id (no answer)
/// is known to have done nothing, and the start goes on with a fresh monitor.
/// </remarks>
public sealed class SpareMonitor : IDisposable
{
    /// <summary>Where the container id goes on the spare's command line.</summary>
    public const string NoId = "-";

    /// <summary>The spare's first line once it has read an id.</summary>
    public const string Taken = "taken";

    /// <summary>Its name (comm) while it waits, so ps, and tests looking for a container's processes, tell it apart.</summary>
    public const string IdleName = "ctmon spare";

    /// <summary>In the spare, while it waits: <see cref="IdleName"/> (it takes the name "ctmon" back with an id).</summary>
    public static unsafe void NameThisProcessIdle()
    {
        fixed (byte* name = "ctmon spare\0"u8)
            Linux.prctl(Linux.PR_SET_NAME, (nuint)name, 0, 0, 0);
    }

    private static readonly Lock Gate = new();
    private static SpareMonitor? _kept;
    private static bool _starting;

    private readonly string _executable;
    private readonly StoreLocation _store;

    /// <summary>The spare's cgroup until a launch takes it.</summary>
    private string? _group;

    private SpareMonitor(string executable, StoreLocation store, Process process, string? group)
    {
        _executable = executable;
        _store = store;
        Process = process;
        _group = group;
    }

    /// <summary>The spare; its stdout carries <see cref="Taken"/> and then the report, as a fresh monitor's does.</summary>
    public Process Process { get; }

    /// <summary>The pid of the spare kept for the next start, if any (for tests and diagnostics).</summary>
    public static int? KeptPid
    {
        get
        {
            lock (Gate)
                return _kept?.Process.Id;
        }
    }

    /// <summary>The command line of a monitor for <paramref name="id"/>.</summary>
    public static ProcessStartInfo StartInfo(string executable, StoreLocation store, string id) => new(executable)
    {
        // The init runs from a sealed copy (CVE-2019-5736): ours, shared by every start from this process.
        ArgumentList = { "monitor", store.Root, store.RunRoot, id, SealedExecutable.SharedDescriptorOf(executable).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    /// <summary>A spare's command line: <see cref="NoId"/>, then its cgroup (<see cref="NoId"/> for none).</summary>
    private static ProcessStartInfo SpareStartInfo(string executable, StoreLocation store, string? group)
    {
        var start = StartInfo(executable, store, NoId);
        start.ArgumentList.Add(group ?? NoId);
        return start;
    }

    /// <summary>The spare kept for this monitor and store if it is still alive, else null (a spare of another store is closed).</summary>
    public static SpareMonitor? Take(string executable, StoreLocation store)
    {
        SpareMonitor? kept;
        lock (Gate)
        {
            kept = _kept;
            _kept = null;
        }
        if (kept is null)
            return null;
        if (kept._executable == executable && kept._store == store && !kept.Process.HasExited)
            return kept;
        kept.Dispose();
        return null;
    }

    /// <summary>Starts the next spare for this monitor and store on a pool thread, unless one is kept or starting.</summary>
    public static void Prepare(string executable, StoreLocation store)
    {
        lock (Gate)
        {
            if (_starting || (_kept is not null && _kept._executable == executable && _kept._store == store))
                return;
            _starting = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ => Keep(executable, store), null);
    }

    private static void Keep(string executable, StoreLocation store)
    {
        SpareMonitor? started = null;
        string? group = SpareCgroup.Make(store);
        try
        {
            started = new SpareMonitor(executable, store, ChildStarts.StartMonitor(SpareStartInfo(executable, store, group)), group);
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            // No spare: the next start starts its monitor itself.
            SpareCgroup.Delete(group);
        }
        SpareMonitor? previous;
        lock (Gate)
        {
            previous = _kept;
            _kept = started;
            _starting = false;
        }
        previous?.Dispose();
    }

    /// <summary>Sends the container id; false when the spare is gone (its stdin is closed).</summary>
    public bool Send(string id)
    {
        try
        {
            Process.StandardInput.BaseStream.Write(PipeMessage.Encode([id]));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>In the spare: the container id read from <paramref name="fd"/>, or null at EOF (the launcher closed it or ended).</summary>
    public static string? ReceiveId(int fd) => PipeMessage.Read(fd) is [string id] ? id : null;

    /// <summary>Its cgroup, now the launch's to rename (or remove); null when it has none.</summary>
    public string? TakeGroup() => Interlocked.Exchange(ref _group, null);

    /// <summary>Closes its stdin: an idle spare exits at that EOF. Its cgroup, unless taken, goes with it.</summary>
    public void Dispose()
    {
        Process.Dispose();
        SpareCgroup.Delete(TakeGroup());
    }
}
