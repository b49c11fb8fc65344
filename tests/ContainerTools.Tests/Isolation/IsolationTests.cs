using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Isolation;

/// <summary>Every isolation claim checked from inside a real container started by the core.</summary>
public sealed class IsolationTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly ContainerRunner _run;

    public IsolationTests() => _run = new ContainerRunner(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void CommandIsPid1AndSeesNoHostProcess()
    {
        var lines = _run.Sh("echo $$; ls /proc | grep -E '^[0-9]+$'").Split('\n');
        Assert.Equal("1", lines[0]);
        var pids = lines.Skip(1).Select(int.Parse).ToList();
        Assert.Contains(1, pids);
        Assert.DoesNotContain(Environment.ProcessId, pids);
        Assert.All(pids, pid => Assert.True(pid < 10, $"pid {pid} is visible inside the container"));
    }

    [Fact]
    public void RootIsTheImageOnOverlayAndTheHostIsNotReachable()
    {
        string marker = Path.Combine(_store.Scratch("host"), "host-marker");
        File.WriteAllText(marker, "host");
        string output = _run.Sh($"grep ' / ' /proc/mounts; test -e {marker} && echo LEAK; test -e /proc/1/root{marker} && echo LEAK1; ls /proc/1/root/bin/busybox; cat /proc/1/mountinfo | grep -c ' / ' ");
        Assert.StartsWith("overlay / overlay", output);
        Assert.DoesNotContain("LEAK", output);
        Assert.Contains("/proc/1/root/bin/busybox", output);
        Assert.Equal("host", File.ReadAllText(marker));
    }

    [Fact]
    public void ProcSysAndSysAreReadOnlyAndSensitivePathsAreMasked()
    {
        string output = _run.Sh(
            "echo x > /proc/sys/kernel/domainname 2>/dev/null && echo WROTE-SYS; " +
            "echo h > /proc/sysrq-trigger 2>/dev/null && echo WROTE-SYSRQ; " +
            "touch /sys/kernel/x 2>/dev/null && echo WROTE-SYSFS; " +
            "grep -E ' /(sys|proc/sys|proc/irq|proc/bus|proc/sysrq-trigger) ' /proc/mounts | cut -d' ' -f2,4; " +
            "echo firmware=$(ls /sys/firmware | wc -l); " +
            string.Concat(Masked.Select(f => $"echo {f}=$(wc -c < {f}); ")));
        Assert.DoesNotContain("WROTE", output);
        // This kernel may be built without some of them (no /proc/sysrq-trigger here): check those it has.
        foreach (var path in new[] { "/sys", "/proc/sys", "/proc/irq", "/proc/bus", "/proc/sysrq-trigger" }.Where(Path.Exists))
            Assert.Matches($"(?m)^{path} ro,", output);
        Assert.Contains("firmware=0", output);
        Assert.NotEmpty(Masked);
        foreach (var file in Masked)
            Assert.Contains($"{file}=0", output);
    }

    /// <summary>The masked files this kernel has (it may be built without /proc/kcore or /proc/sched_debug).</summary>
    private static readonly string[] Masked = new[] { "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug" }.Where(File.Exists).ToArray();

    [Fact]
    public void DevIsMinimal()
    {
        var entries = _run.Sh("ls /dev").Split('\n').Order().ToArray();
        Assert.Equal(new[] { "core", "fd", "full", "mqueue", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero" }, entries);
        Assert.Equal("ok", _run.Sh("head -c 4 /dev/urandom > /dev/null && echo -n > /dev/null && test -c /dev/zero && echo ok"));
    }

    [Fact]
    public void HostnameIsTheShortIdOrTheOneGivenAndEtcFilesAreProvided()
    {
        var container = _run.Create(new ContainerOptions { Command = ["sh", "-c", "hostname; cat /etc/hostname; grep -c localhost /etc/hosts; test -f /etc/resolv.conf && echo resolv"] });
        _run.Lifecycle.Start(container.Id);
        _run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var lines = File.ReadAllLines(_run.Containers.Paths(container.Id).Log);
        Assert.Contains(container.Id[..12], lines[0]);
        Assert.Contains(container.Id[..12], lines[1]);
        Assert.Equal("web01\nweb01", _run.Sh2("hostname; cat /etc/hostname", hostname: "web01"));
        Assert.NotEqual(Environment.MachineName, container.Id[..12]);
        // On the host's network it is named as the host, as with docker and podman.
        var onHostNetwork = new ContainerOptions { Command = ["hostname"], Network = Core.Networking.NetworkSettings.Parse("host", null, null, null) };
        Assert.Equal(System.Net.Dns.GetHostName(), _run.Run(onHostNetwork).Stdout);
    }

    [Fact]
    public void EveryNamespaceIsItsOwn()
    {
        string inside = _run.Sh("for n in pid mnt uts ipc net cgroup; do readlink /proc/self/ns/$n; done");
        foreach (var ns in new[] { "pid", "mnt", "uts", "ipc", "net", "cgroup" })
        {
            string host = new FileInfo($"/proc/self/ns/{ns}").LinkTarget!;
            Assert.DoesNotContain(host, inside);
        }
        Assert.Equal("/", _run.Sh("cat /proc/self/cgroup | cut -d: -f3 | sort -u"));
    }

    [Fact]
    public void NetworkHasLoopbackOnlyAndItIsUp()
    {
        // -Network none: the default network would add eth0 (tests/ContainerTools.Tests/Networking cover that).
        var (code, output, stderr) = _run.Run(new ContainerOptions
        {
            Command = ["sh", "-c", "ls /sys/class/net; ping -c 1 -W 2 127.0.0.1 > /dev/null && echo ping-ok"],
            Network = new Core.Networking.NetworkSettings { Mode = Core.Networking.NetworkSettings.None },
        });
        Assert.True(code == 0, stderr);
        Assert.Equal("lo\nping-ok", output);
    }

    [Fact]
    public void CapabilitiesAreDockersDefaultAndNoNewPrivsIsSet()
    {
        string status = _run.Sh("grep -E '^(CapBnd|CapEff|CapPrm|NoNewPrivs)' /proc/self/status");
        // Docker's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP.
        Assert.Contains("CapBnd:\t00000000a80425fb", status);
        Assert.Contains("CapEff:\t00000000a80425fb", status);
        Assert.Contains("NoNewPrivs:\t1", status);
    }

    [Fact]
    public void CannotMountLoadModulesSetHostnameOrTouchTheHost()
    {
        string hostname = File.ReadAllText("/proc/sys/kernel/hostname");
        string output = _run.Sh(
            "mkdir -p /mnt/x; mount -t tmpfs none /mnt/x 2>&1 || echo mount-refused; " +
            "echo junk > /tmp/m.ko; insmod /tmp/m.ko 2>&1; " +
            "hostname evil 2>&1 || echo hostname-refused; " +
            "mknod /tmp/sda b 8 0 2>/dev/null && (head -c 1 /tmp/sda > /dev/null 2>&1 && echo READ-DISK); true");
        Assert.Contains("mount-refused", output);
        Assert.Contains("not permitted", output);
        Assert.Contains("hostname-refused", output);
        Assert.DoesNotContain("READ-DISK", output);
        Assert.Equal(hostname, File.ReadAllText("/proc/sys/kernel/hostname"));
    }

    [Fact]
    public void ExitCodesAreExact()
    {
        foreach (int code in new[] { 0, 1, 42, 255 })
            Assert.Equal(code, _run.Run(new ContainerOptions { Command = ["sh", "-c", $"exit {code}"] }).ExitCode);
        var sleeper = _run.Start("sleep", "300");
        _run.Lifecycle.Kill(sleeper.Id, Signals.SIGKILL);
        Assert.Equal(137, _run.Lifecycle.Wait(sleeper.Id, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken).State.ExitCode);
        var trapping = _run.Start("sh", "-c", "sleep 300 & child=$!; trap 'kill -USR1 $child' TERM; wait $child; wait $child; exit $?");
        // A PID 1 ignores SIGTERM until its trap is set: stop only once the shell catches it.
        int shell = trapping.State.Init!.Pid;
        Assert.True(SpinWait.SpinUntil(() => CatchesSignal(shell, Signals.SIGTERM), TimeSpan.FromSeconds(30)));
        Assert.Equal(138, _run.Lifecycle.Stop(trapping.Id, TimeSpan.FromSeconds(20)).State.ExitCode);
    }

    private static bool CatchesSignal(int pid, int signal) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("SigCgt:", StringComparison.Ordinal))
            .Any(l => (Convert.ToUInt64(l[7..].Trim(), 16) & (1UL << (signal - 1))) != 0);

    [Fact]
    public void ImageConfigIsHonouredAndParametersOverrideIt()
    {
        var image = new ImageDefaults
        {
            Entrypoint = ["sh", "-c"],
            Cmd = ["echo image-cmd $GREETING $(pwd) $(id -u)"],
            Env = ["GREETING=image", "KEEP=kept"],
            WorkingDir = "/srv/app",
            User = "app",
        };
        Assert.Equal("image-cmd image /srv/app 1000", _run.Run(new ContainerOptions(), image).Stdout);
        var overridden = _run.Run(new ContainerOptions
        {
            Command = ["echo $GREETING $KEEP $(pwd) $(id -u):$(id -g)"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "param" },
            WorkingDirectory = "/tmp",
            User = "0:1000",
        }, image);
        Assert.Equal("param kept /tmp 0:1000", overridden.Stdout);
        Assert.Equal("/bin/echo-entry", _run.Run(new ContainerOptions { Entrypoint = ["echo", "/bin/echo-entry"] }, image).Stdout);
    }

    [Fact]
    public void HomeIsTheUsersOwnFromPasswdUnlessTheEnvironmentSetsIt()
    {
        string Home(ContainerOptions options) => _run.Run(options with { Command = ["sh", "-c", "echo $HOME"] }).Stdout;
        Assert.Equal("/root", Home(new ContainerOptions()));
        Assert.Equal("/home", Home(new ContainerOptions { User = "app" }));
        Assert.Equal("/", Home(new ContainerOptions { User = "4321" })); // no passwd entry, as runc
        Assert.Equal("/srv", Home(new ContainerOptions { User = "app", Environment = new Dictionary<string, string> { ["HOME"] = "/srv" } }));
    }

    [Fact]
    public void UnknownCommandIsAStartErrorWithExitCode127()
    {
        var container = _run.Create(new ContainerOptions { Command = ["/no/such/binary"] });
        var error = Assert.Throws<Core.EngineException>(() => _run.Lifecycle.Start(container.Id));
        Assert.Equal("ContainerStartFailed", error.ErrorId);
        Assert.Contains("/no/such/binary", error.Message);
        var state = _run.Containers.Read(container.Id)!.State;
        Assert.Equal(127, state.ExitCode);
    }
}
