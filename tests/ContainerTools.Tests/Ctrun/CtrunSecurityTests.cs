using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Tests.Ctrun;

/// <summary>OCI runtime spec: linux.seccomp, linux.devices, linux.resources.devices and masked paths, seen from inside.</summary>
public sealed partial class CtrunSecurityTests
{
    private static JsonObject Seccomp() => new()
    {
        ["defaultAction"] = "SCMP_ACT_ALLOW",
        ["architectures"] = new JsonArray("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
        ["syscalls"] = new JsonArray(
            new JsonObject { ["names"] = new JsonArray("mkdir", "mkdirat"), ["action"] = "SCMP_ACT_ERRNO", ["errnoRet"] = 13 },
            new JsonObject { ["names"] = new JsonArray("chmod", "fchmodat", "fchmodat2"), ["action"] = "SCMP_ACT_ERRNO" }),
    };

    [Fact]
    public void SeccompRulesApplyToTheProcessAndToExec()
    {
        using var bundle = new CtrunBundle(["sh", "-c", "mkdir /dev/shm/d 2>&1; touch /dev/shm/f; chmod 600 /dev/shm/f 2>&1; echo end"],
            config => config["linux"]!["seccomp"] = Seccomp());
        var result = bundle.Run();
        Assert.True(result.ExitCode == 0, result.Stderr);
        // errnoRet 13 is EACCES; a rule without errnoRet returns EPERM.
        Assert.Matches("mkdir: .*Permission denied\n.*chmod.*Operation not permitted\nend\n", result.Stdout);

        var config = JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!;
        config["process"]!["args"] = new JsonArray("sleep", "100");
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());
        bundle.Must("run", "--detach", "--bundle", bundle.Directory, bundle.Id);
        var exec = bundle.Ctrun("exec", bundle.Id, "mkdir", "/dev/shm/e");
        Assert.NotEqual(0, exec.ExitCode);
        Assert.Contains("Permission denied", exec.Stderr + exec.Stdout);
    }

    [Fact]
    public void AnInvalidSeccompProfileFailsCreateWithTheReasonAndLeavesNothing()
    {
        using var bundle = new CtrunBundle(["true"], config =>
            config["linux"]!["seccomp"] = new JsonObject { ["defaultAction"] = "SCMP_ACT_SOMETIMES" });
        string log = bundle.Scratch("log.json");
        var result = bundle.Ctrun("--log", log, "--log-format", "json", "create", "--bundle", bundle.Directory, bundle.Id);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("linux.seccomp", result.Stderr);
        Assert.Contains("SCMP_ACT_SOMETIMES", JsonNode.Parse(File.ReadAllLines(log).Single())!["msg"]!.GetValue<string>());
        Assert.NotEqual(0, bundle.Ctrun("state", bundle.Id).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(bundle.StateRoot, bundle.Id)));
        Assert.False(Directory.Exists("/sys/fs/cgroup/pids/ctrun/" + bundle.Id));
    }

    [Fact]
    public void DevicesAreCreatedWithTheirModeAndOwnerAndTheDeviceRulesApplyInOrder()
    {
        using var bundle = new CtrunBundle(
            ["sh", "-c", "stat -c '%n|%F|%t:%T|%a|%u:%g' /dev/ctt-allowed /dev/sub/ctt-block /dev/ctt-fifo; " +
                "cat /dev/ctt-allowed 2>&1; cat /dev/ctt-denied 2>&1; echo x > /dev/null && echo null-ok"],
            config =>
            {
                config["linux"]!["devices"] = new JsonArray(
                    Device("/dev/ctt-allowed", "c", 242, 1),
                    Device("/dev/ctt-denied", "c", 242, 2),
                    Device("/dev/sub/ctt-block", "b", 242, 3, mode: 416, uid: 1000, gid: 10),
                    Device("/dev/ctt-fifo", "p", 0, 0));
                config["linux"]!["resources"] = new JsonObject
                {
                    ["devices"] = new JsonArray(
                        new JsonObject { ["allow"] = false, ["access"] = "rwm" },
                        new JsonObject { ["allow"] = true, ["type"] = "c", ["major"] = 242, ["minor"] = 1, ["access"] = "rw" }),
                };
            });
        var result = bundle.Run();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("/dev/ctt-allowed|character special file|f2:1|666|0:0", lines[0]);
        Assert.Equal("/dev/sub/ctt-block|block special file|f2:3|640|1000:10", lines[1]);
        Assert.StartsWith("/dev/ctt-fifo|fifo|", lines[2]);
        // No driver has major 242: an allowed open reaches the kernel (ENXIO), a denied one stops at the cgroup (EPERM).
        Assert.Contains("No such device or address", lines[3]);
        Assert.Contains("Operation not permitted", lines[4]);
        Assert.Equal("null-ok", lines[5]);
    }

    [Fact]
    public void ADeviceThatConflictsWithAnExistingFileFailsCreate()
    {
        using var bundle = new CtrunBundle(["true"], config =>
            config["linux"]!["devices"] = new JsonArray(Device("/dev/null", "c", 1, 5)));
        var result = bundle.Ctrun("create", "--bundle", bundle.Directory, bundle.Id);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/dev/null", result.Stderr);
        Assert.NotEqual(0, bundle.Ctrun("state", bundle.Id).ExitCode);
    }

    [Fact]
    public void MaskedPathsCannotBeReadAndOnesThisKernelLacksAreSkipped()
    {
        // This kernel has no /proc/kcore (the spec's usual example): it must not fail the container.
        string[] files = ["/proc/interrupts", "/proc/timer_list"];
        Assert.All(files, file => Assert.NotEmpty(File.ReadAllText(file)));
        using var bundle = new CtrunBundle(["sh", "-c", "wc -c < /proc/interrupts; wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l; echo end"], config =>
            config["linux"]!["maskedPaths"] = new JsonArray("/proc/kcore", "/proc/interrupts", "/proc/timer_list", "/sys/firmware"));
        var result = bundle.Run();
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("0\n0\n0\nend\n", result.Stdout);
    }

    private static JsonObject Device(string path, string type, int major, int minor, int? mode = null, int? uid = null, int? gid = null)
    {
        var device = new JsonObject { ["path"] = path, ["type"] = type, ["major"] = major, ["minor"] = minor };
        if (mode is not null)
            device["fileMode"] = mode;
        if (uid is not null)
            device["uid"] = uid;
        if (gid is not null)
            device["gid"] = gid;
        return device;
    }

    // CVE-2019-5736: until it execs the command, the init is a process in the container, and /proc/PID/exe of it must
    // not lead to a host file the container could write. Before session 12 it led to ctrun's own file.
    private const int WriteOk = 2;

    /// <summary>access(2): unlike an open, it tells a read-only mount (EROFS) whether or not the file is being run.</summary>
    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    private static string InitExe(CtrunBundle bundle)
    {
        bundle.Must("create", "--bundle", bundle.Directory, bundle.Id);
        return $"/proc/{JsonNode.Parse(bundle.Must("state", bundle.Id))!["pid"]!.GetValue<int>()}/exe";
    }

    [Fact]
    public void ACreatedContainersInitRunsFromAReadOnlyViewOfCtrunThatNoOneCanWrite()
    {
        // A bind mount of ctrun of its own, read-only and in no mount namespace: not the 5 ms copy it was in session 12.
        using var bundle = new CtrunBundle(["true"]);
        string exe = InitExe(bundle);

        // The root of a mount of its own, which no mount namespace shows ("/"), rather than a memfd.
        Assert.Equal("/", new FileInfo(exe).LinkTarget);
        int fd = Linux.openat(Linux.AT_FDCWD, exe, Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        Assert.True(fd >= 0);
        using (new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true))
            Assert.False(SealedExecutable.IsSealed(fd));
        // Opening it to write is refused already while any ctrun runs (ETXTBSY); the read-only mount refuses it after too.
        Assert.True(Linux.openat(Linux.AT_FDCWD, exe, Linux.O_WRONLY | Linux.O_CLOEXEC, 0) < 0);
        Assert.Equal((-1, Errno.EROFS), (Access(exe, WriteOk), Marshal.GetLastPInvokeError()));
        bundle.Must("delete", "--force", bundle.Id);
    }

    [Fact]
    public void AnInitThatKeepsCapSysAdminRunsFromASealedCopyOfCtrun()
    {
        // With CAP_SYS_ADMIN it could make a read-only mount writable again (mount_setattr): a copy it cannot change.
        using var bundle = new CtrunBundle(["true"], config =>
        {
            var capabilities = config["process"]!["capabilities"]!.AsObject();
            foreach (string set in new[] { "bounding", "effective", "permitted" })
                capabilities[set]!.AsArray().Add("CAP_SYS_ADMIN");
        });
        string exe = InitExe(bundle);

        Assert.StartsWith("/memfd:ctrun", new FileInfo(exe).LinkTarget!, StringComparison.Ordinal);
        int fd = Linux.openat(Linux.AT_FDCWD, exe, Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        Assert.True(fd >= 0);
        using (new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true))
            Assert.True(SealedExecutable.IsSealed(fd));
        Assert.True(Linux.openat(Linux.AT_FDCWD, exe, Linux.O_WRONLY | Linux.O_CLOEXEC, 0) < 0);
        bundle.Must("delete", "--force", bundle.Id);
    }
}
