using System.Security.Cryptography;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>
/// Published escapes of the runtimes before us, each tried for real from inside a container, with the host
/// checked afterwards. (Writes to /proc/sys, sysrq, mount, insmod and hostname are in Isolation/IsolationTests.)
/// </summary>
public sealed class EscapeTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly ContainerRunner run;

    public EscapeTests() => run = new ContainerRunner(store);

    public void Dispose() => store.Dispose();

    /// <summary>Runs a container; a start the engine refuses counts as exit code -1 (refusing an attack is a defence).</summary>
    private (int? ExitCode, string Stdout, string Stderr) RunOrRefused(ContainerOptions options)
    {
        try
        {
            return run.Run(options);
        }
        catch (ContainerTools.Core.EngineException e) when (e.ErrorId == "ContainerStartFailed")
        {
            return (-1, "", e.Message);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void WorkingDirectoryInProcSelfFdDoesNotReachTheHost(int fd)
    {
        // CVE-2024-21626: a descriptor of a host directory left open in the init becomes the working directory,
        // and ".." from there climbs the host's tree. Refusing to start is fine; starting outside the root is not.
        var (code, stdout, _) = RunOrRefused(new ContainerOptions
        {
            WorkingDirectory = $"/proc/self/fd/{fd}",
            Command = ["sh", "-c", "cd ../../../../../../../../..; ls -a; echo ===; ls -a /"],
        });
        if (code != 0)
            return;
        var parts = stdout.Split("===");
        Assert.Equal(parts[1].Trim(), parts[0].Trim());
    }

    [Fact]
    public void ContainerProcessSeesOnlyTheStandardDescriptors()
    {
        // Everything the engine opens is O_CLOEXEC and the init closes the rest: PID 1 holds 0, 1 and 2 only,
        // none of them a host file or directory (stdin is a /dev/null opened before pivot_root, hence "/null").
        string output = run.Sh("ls /proc/1/fd; for f in 0 1 2; do readlink /proc/1/fd/$f; done");
        var lines = output.Split('\n');
        Assert.Equal(["0", "1", "2"], lines[..3]);
        Assert.All(lines[3..], l => Assert.Matches(@"^(/dev/null|/null|pipe:\[\d+\])$", l));
    }

    [Fact]
    public void MonitorHoldsOnlyCloseOnExecDescriptorsBeyondStdio()
    {
        // The monitor runs CNI plugins and outlives the session: a descriptor without O_CLOEXEC would leak into
        // every program it starts. fdinfo's flags are octal; O_CLOEXEC is 02000000.
        const int O_CLOEXEC = 0x80000;
        var container = run.Start("sleep", "300");
        int monitor = run.Containers.Read(container.Id)!.State.Monitor!.Pid;

        var leaking = Directory.EnumerateFiles($"/proc/{monitor}/fdinfo")
            .Where(f => int.Parse(Path.GetFileName(f), System.Globalization.CultureInfo.InvariantCulture) > 2)
            .Where(f =>
            {
                string flags = File.ReadLines(f).First(l => l.StartsWith("flags:", StringComparison.Ordinal))[6..].Trim();
                return (Convert.ToInt32(flags, 8) & O_CLOEXEC) == 0;
            })
            .Select(f => $"{Path.GetFileName(f)} -> {new FileInfo($"/proc/{monitor}/fd/{Path.GetFileName(f)}").LinkTarget}")
            .ToList();

        Assert.Empty(leaking);
    }

    [Theory]
    [InlineData("/etc/hostname", true)]
    [InlineData("/etc/hosts", true)]
    [InlineData("/etc/resolv.conf", true)]
    [InlineData("/etc/hosts", false)]
    public void SymlinkAtAMountTargetCannotRedirectTheMountToTheHost(string target, bool absolute)
    {
        // The image makes the target of one of the runtime's bind mounts a symlink to a host file (the masked-path
        // and bind-target symlink issues of runc 2021/2025): the mount must land inside the container's root and
        // the container's writes must not reach the host file.
        string hostFile = Path.Combine(store.Scratch("host"), "precious");
        File.WriteAllText(hostFile, "untouched");
        string rootfs = Busybox.CreateRootfs(store.Scratch("evil-rootfs"));
        string link = Path.Combine(rootfs, target.TrimStart('/'));
        File.Delete(link);
        File.CreateSymbolicLink(link, absolute ? hostFile : "../../../../../../../../.." + hostFile);
        var image = new ContainerImage("evil", null, new ImageDefaults { Cmd = ["sh"] }, [rootfs]);

        var container = run.Containers.Create(image, new ContainerOptions { Command = ["sh", "-c", $"echo escaped > {target}; cat {target}"] });
        try
        {
            run.Lifecycle.Start(container.Id);
            run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (ContainerTools.Core.EngineException)
        {
            // Refusing to start such an image is a fine answer too.
        }

        Assert.Equal("untouched", File.ReadAllText(hostFile));
    }

    [Fact]
    public void BlockDeviceOfThisMachineCannotBeRead()
    {
        // mknod is allowed (CAP_MKNOD is a Docker default) but the device must not open: a real disk of this
        // machine, not a guessed 8:0 that may not exist.
        string? disk = File.ReadLines("/proc/partitions").Skip(2)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 4 && f[0] != "7") // not a loop device
            .Select(f => $"{f[0]} {f[1]}")
            .FirstOrDefault();
        Assert.SkipWhen(disk is null, "this machine has no disk in /proc/partitions");

        string output = run.Sh($"mknod /tmp/disk b {disk}; echo \"read $(head -c 512 /tmp/disk 2>/dev/null | wc -c)\"");

        Assert.Equal("read 0", output);
    }

    [Fact]
    public void EntrypointProcSelfExeCannotReachTheEngineBinary()
    {
        // CVE-2019-5736: a container whose command is /proc/self/exe runs whatever binary started it; if that is
        // the runtime, the container can write it. Whatever runs, the engine's binary stays as it was.
        byte[] before = SHA256.HashData(File.ReadAllBytes(Repository.Monitor));

        RunOrRefused(new ContainerOptions { Entrypoint = ["/proc/self/exe"], Command = ["init", "/", "1"] });
        run.Sh("for p in /proc/[0-9]*; do cat $p/exe > /dev/null 2>&1; echo x >> $p/exe 2>/dev/null; done; true");

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Repository.Monitor)));
    }

    [Fact]
    public void ExecHelperRunsFromASealedCopyNotTheEngineBinary()
    {
        // CVE-2019-5736 during exec: until it execs the command, the helper entering the container is a process
        // the container can see, and /proc/<pid>/exe of it must not lead to the host's ctmon. The container is
        // paused so the helper freezes as it joins the cgroup (its first step): caught while it is still ctmon.
        var container = run.Start("sleep", "300");
        new ContainerResources(run.Containers).Pause(container.Id);
        using var exec = new ContainerExec(run.Containers, Repository.Monitor).Start(container.Id, new ExecOptions { Command = ["true"] });

        string exe = $"/proc/{exec.HostPid}/exe";
        string target = new FileInfo(exe).LinkTarget!;
        bool sealedCopy = IsSealedCopy(exe);
        bool written = TakesAWrite(exe);
        new ContainerResources(run.Containers).Resume(container.Id);

        Assert.StartsWith("/memfd:ctmon", target, StringComparison.Ordinal);
        Assert.True(sealedCopy, $"{exe} ({target}) is not a sealed memfd");
        Assert.False(written, $"{exe} took a write");
        Assert.Equal(0, exec.WaitForExit());
    }

    /// <summary>Whether the file is a memfd carrying all the seals.</summary>
    private static bool IsSealedCopy(string path)
    {
        int fd = Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        if (fd < 0)
            return false;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return SealedExecutable.IsSealed(fd);
    }

    /// <summary>Opens a file for writing as an attacker would: whether a byte went in.</summary>
    private static bool TakesAWrite(string path)
    {
        int fd = Linux.openat(Linux.AT_FDCWD, path, Linux.O_WRONLY | Linux.O_CLOEXEC, 0);
        if (fd < 0)
            return false;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.Write(handle, "x"u8, 0);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public void ContainerWritingTheExecHelperThroughProcExeLeavesTheEngineBinaryUnchanged()
    {
        // The attack itself, from inside: while commands are exec'd into the container, a loop writes to the
        // exe of every process that is not busybox (the helper, until it execs). The host's ctmon stays as it was,
        // and any helper the loop caught was the sealed copy.
        byte[] before = SHA256.HashData(File.ReadAllBytes(Repository.Monitor));
        var container = run.Start("sh", "-c",
            "while true; do for p in /proc/[0-9]*; do l=$(readlink $p/exe 2>/dev/null); case \"$l\" in ''|/bin/busybox) ;; *) echo \"$l\" >> /seen; echo x >> $p/exe 2>/dev/null;; esac; done; done");
        var exec = new ContainerExec(run.Containers, Repository.Monitor);
        for (int i = 0; i < 20; i++)
        {
            using var process = exec.Start(container.Id, new ExecOptions { Command = ["true"] });
            Assert.Equal(0, process.WaitForExit());
        }
        using var seen = exec.Start(container.Id, new ExecOptions { Command = ["sh", "-c", "cat /seen 2>/dev/null; true"] });
        var caught = seen.Output(TestContext.Current.CancellationToken).Select(l => l.Line).ToList();

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Repository.Monitor)));
        Assert.All(caught, l => Assert.StartsWith("/memfd:", l, StringComparison.Ordinal));
    }
}
