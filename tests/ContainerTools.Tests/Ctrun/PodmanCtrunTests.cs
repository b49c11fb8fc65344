using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Ctrun;

/// <summary>Issue 11: podman (through conmon) drives ctrun as its OCI runtime: run, detach and stop, exec, limits, a terminal.</summary>
public sealed class PodmanCtrunTests
{
    [Fact]
    public void RunRemoveEchoesAndLeavesNoState()
    {
        using var podman = new PodmanWithCtrun();
        string name = podman.NewName();
        Assert.Equal("hi\n", podman.Must("run", "--rm", "--name", name, "--network", "none", "--cgroup-parent", podman.CgroupParent,
            PodmanWithCtrun.Image, "echo", "hi"));
        Assert.Equal("", podman.Must("ps", "--all", "--quiet"));
    }

    [Fact]
    public void DetachedContainerTakesExecAndStops()
    {
        using var podman = new PodmanWithCtrun();
        string name = podman.NewName();
        podman.Must("run", "-d", "--name", name, "--network", "none", "--cgroup-parent", podman.CgroupParent, PodmanWithCtrun.Image, "sleep", "1000");
        Assert.Equal("running", podman.Must("inspect", "--format", "{{.State.Status}}", name).Trim());
        // The exec'd process sees the container's PID 1.
        Assert.Equal("sleep\n", podman.Must("exec", name, "cat", "/proc/1/comm"));
        // ctrun exec --detach returns before the command may end: conmon, not ctrun, reaps it and learns its code.
        Assert.Equal(3, podman.Podman("exec", name, "sh", "-c", "exit 3").ExitCode);
        // busybox sleep as PID 1 ignores SIGTERM: podman's timeout, then SIGKILL (137).
        podman.Must("stop", "--time", "1", name);
        Assert.Equal("exited 137", podman.Must("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).Trim());
        podman.Must("rm", name);
    }

    [Fact]
    public void MemoryLimitReachesTheContainersCgroup()
    {
        using var podman = new PodmanWithCtrun();
        string name = podman.NewName();
        podman.Must("run", "-d", "--name", name, "--memory", "64m", "--network", "none", "--cgroup-parent", podman.CgroupParent,
            PodmanWithCtrun.Image, "sleep", "1000");
        int pid = int.Parse(podman.Must("inspect", "--format", "{{.State.Pid}}", name).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string group = File.ReadAllLines($"/proc/{pid}/cgroup").Single(l => l.Split(':')[1] == "memory").Split(':', 3)[2];
        Assert.StartsWith(podman.CgroupParent + "/", group);
        Assert.Equal("67108864", File.ReadAllText($"/sys/fs/cgroup/memory{group}/memory.limit_in_bytes").Trim());
        podman.Must("rm", "--force", "--time", "0", name);
    }

    [Fact]
    public void InteractiveRunAndExecGetTerminalsOfTheContainerThroughTheConsoleSocket()
    {
        using var podman = new PodmanWithCtrun();
        string name = podman.NewName();
        using var run = new Tmux(Command(podman, "run", "-it", "--rm", "--name", name, "--network", "none",
            "--cgroup-parent", podman.CgroupParent, PodmanWithCtrun.Image, "sh"), 100, 30);
        // `tty` names the terminal only when it is one of the container's own devpts.
        run.TypeLine("tty; echo $((6 * 7))");
        run.WaitFor(@"^/dev/pts/\d+\s*\n42\s*$");

        using (var exec = new Tmux(Command(podman, "exec", "-it", name, "sh"), 100, 30))
        {
            exec.TypeLine("tty; echo exec-$((6 * 7))");
            exec.WaitFor(@"^/dev/pts/\d+\s*\nexec-42\s*$");
            exec.TypeLine("exit 0");
        }

        run.TypeLine("exit 0");
        Assert.True(SpinWait.SpinUntil(() => podman.Must("ps", "--all", "--quiet") == "", TimeSpan.FromSeconds(30)),
            "the container was not removed after its shell exited");
    }

    private static string Command(PodmanWithCtrun podman, params string[] args) =>
        string.Join(' ', podman.CommandLine.Concat(args).Select(Quote));

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
