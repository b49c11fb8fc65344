using System.Diagnostics;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Ctrun;

/// <summary>
/// podman driving ctrun as its OCI runtime, on a podman store of the test's own (--root, --runroot, tmp dir,
/// network config dir, a containers.conf given to the podman child only), with the busybox image imported.
/// Containers get unique names and a cgroup parent naming the test store, so cleanup finds them; Dispose
/// removes them (ctrun deletes their state under /run/ctrun) before the store goes.
/// </summary>
public sealed class PodmanWithCtrun : IDisposable
{
    public const string Image = "localhost/ctt-busybox:latest";

    private readonly TestStore _store;
    private readonly string _conf;
    private int _names;

    public PodmanWithCtrun()
    {
        Assert.SkipWhen(!File.Exists("/usr/bin/podman") || !File.Exists("/usr/bin/conmon"), "podman and conmon are not installed");
        _store = new TestStore();
        _conf = Path.Combine(_store.Path, "containers.conf");
        CgroupParent = "/" + Path.GetFileName(_store.Path);
        try
        {
            // This machine's hard nofile limit is 20000 and the process lacks CAP_SYS_RESOURCE: podman's default ulimits would fail.
            File.WriteAllText(_conf, $"""
                [containers]
                default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
                [network]
                network_config_dir = "{_store.Path}/networks"
                [engine]
                tmp_dir = "{_store.Path}/tmp"
                cgroup_manager = "cgroupfs"
                events_logger = "none"
                """);
            Must("import", "--quiet", Busybox.CreateRootfsTarball(_store.Scratch("image")), Image);
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    /// <summary>The cgroup parent for `run` (names the store: the store's cleanup removes what is left below it).</summary>
    public string CgroupParent { get; }

    public string NewName() => $"{Path.GetFileName(_store.Path)}-{Interlocked.Increment(ref _names)}";

    /// <summary>The podman command line (for a terminal to run), with the test's store, conf and ctrun.</summary>
    public IReadOnlyList<string> CommandLine =>
        ["env", "CONTAINERS_CONF=" + _conf, "podman", .. GlobalFlags];

    private string[] GlobalFlags =>
        ["--root", Path.Combine(_store.Path, "root"), "--runroot", Path.Combine(_store.Path, "run"), "--storage-driver", "overlay",
         "--cgroup-manager", "cgroupfs", "--runtime", Repository.Ctrun];

    public (int ExitCode, string Stdout, string Stderr) Podman(params string[] args)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment["CONTAINERS_CONF"] = _conf;
        foreach (var arg in GlobalFlags.Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    public string Must(params string[] args)
    {
        var result = Podman(args);
        Assert.True(result.ExitCode == 0, $"podman {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    public void Dispose()
    {
        try
        {
            Podman("rm", "--all", "--force", "--time", "0");
        }
        finally
        {
            _store.Dispose();
        }
    }
}
