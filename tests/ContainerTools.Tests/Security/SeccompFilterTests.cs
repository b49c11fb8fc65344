using ContainerTools.Core.Isolation;
using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>Compiled filters loaded into real processes (bubblewrap --seccomp), each result compared with the unfiltered call.</summary>
public sealed class SeccompFilterTests : IDisposable
{
    private const int EPERM = 1;
    private const int EACCES = 13;
    private const int ENOSYS = 38;
    private const long CLONE_NEWUSER = 0x10000000;

    private readonly TestStore store = new();
    private readonly Sandbox sandbox;

    public SeccompFilterTests()
    {
        Assert.SkipUnless(Tool.Exists("bwrap"), "bubblewrap (apt-get install bubblewrap) is needed to load a filter into a test process");
        sandbox = new Sandbox(store.Scratch("sandbox"));
    }

    public void Dispose() => store.Dispose();

    private static byte[] DefaultFilter => SeccompCompiler.Compile(SeccompProfile.Default, Capabilities.DockerDefault);

    // x86_64 syscall numbers with arguments that fail harmlessly when nothing blocks them.
    public static TheoryData<string, long, long[]> BlockedByDefault => new()
    {
        { "keyctl", 250, [0, 0] },
        { "add_key", 248, [0, 0, 0, 0, 0] },
        { "request_key", 249, [0, 0, 0, 0] },
        { "kexec_load", 246, [0, 0, 0, 0xDEAD0000] },
        { "open_by_handle_at", 304, [-1, 0, 0] },
        { "bpf", 321, [9999, 0, 0] },
        { "userfaultfd", 323, [0xFFFFFFFF] },
        { "unshare(CLONE_NEWUSER)", 272, [CLONE_NEWUSER] },
        { "mount", 165, [0, 0, 0, 0, 0] },
        { "init_module", 175, [0, 0, 0] },
        { "finit_module", 313, [-1, 0, 0] },
        { "socket(AF_VSOCK)", 41, [40, 1, 0] },
    };

    [Theory]
    [MemberData(nameof(BlockedByDefault))]
    public void DefaultFilterBlocksWithEperm(string call, long number, long[] args)
    {
        Assert.True(sandbox.Syscall(null, number, args) != EPERM, $"{call} fails with EPERM even without a filter: the test proves nothing");
        Assert.Equal(EPERM, sandbox.Syscall(DefaultFilter, number, args));
    }

    [Fact]
    public void DefaultFilterRunsOrdinaryPrograms()
    {
        var result = sandbox.Run(DefaultFilter, "/bin/busybox", "sh", "-c", "echo hello > /tmp/f && cat /tmp/f && ls / >/dev/null && busybox ps >/dev/null && echo done");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("hello\ndone\n", result.Stdout);
    }

    [Fact]
    public void DefaultFilterRefusesNewUserNamespaceAndMountToBusybox()
    {
        var unshare = sandbox.Run(DefaultFilter, "/bin/busybox", "unshare", "-U", "true");
        Assert.NotEqual(0, unshare.ExitCode);
        Assert.Contains("Operation not permitted", unshare.Stderr, StringComparison.Ordinal);

        var mount = sandbox.Run(DefaultFilter, "/bin/busybox", "mount", "-t", "tmpfs", "none", "/tmp");
        Assert.NotEqual(0, mount.ExitCode);
        Assert.Contains("permission denied", mount.Stderr, StringComparison.OrdinalIgnoreCase); // busybox's words for EPERM
        Assert.Equal(0, sandbox.Run(null, "/bin/busybox", "mount", "-t", "tmpfs", "none", "/tmp").ExitCode);
    }

    [Fact]
    public void Clone3FailsWithEnosysSoLibcFallsBackToClone()
    {
        Assert.Equal(ENOSYS, sandbox.Syscall(DefaultFilter, 435, [0, 0]));
        // fork() through clone without namespace flags still works: the shell can run a pipeline.
        var result = sandbox.Run(DefaultFilter, "/bin/busybox", "sh", "-c", "echo forked | cat");
        Assert.Equal("forked\n", result.Stdout);
    }

    [Fact]
    public void CapabilityRulesFollowTheContainersCapabilities()
    {
        var withSysAdmin = SeccompCompiler.Compile(SeccompProfile.Default, [.. Capabilities.DockerDefault, "SYS_ADMIN"]);

        Assert.Equal(0, sandbox.Run(withSysAdmin, "/bin/busybox", "mount", "-t", "tmpfs", "none", "/tmp").ExitCode);
        Assert.Equal(0, sandbox.Run(withSysAdmin, "/bin/busybox", "unshare", "-U", "true").ExitCode);
        Assert.NotEqual(EPERM, sandbox.Syscall(withSysAdmin, 321, 9999, 0, 0));
        // keyctl has no capability that allows it.
        Assert.Equal(EPERM, sandbox.Syscall(withSysAdmin, 250, 0, 0));
    }

    [Fact]
    public void CustomProfileDeniesWhatItSaysAndAllowsTheRest()
    {
        var profile = SeccompProfile.Parse("""
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [
                { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
                { "names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42,
                  "args": [ { "index": 0, "value": 57005, "op": "SCMP_CMP_EQ" } ] }
              ]
            }
            """);
        byte[] filter = SeccompCompiler.Compile(profile, []);

        var mkdir = sandbox.Run(filter, "/bin/busybox", "mkdir", "/tmp/d");
        Assert.NotEqual(0, mkdir.ExitCode);
        Assert.Contains("Permission denied", mkdir.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Run(filter, "/bin/busybox", "touch", "/tmp/f").ExitCode);
        // A rule with an argument condition matches only that argument.
        Assert.Equal(42, sandbox.Syscall(filter, 140, 57005, 0));
        Assert.Equal(0, sandbox.Syscall(filter, 140, 0, 0));
        Assert.Equal(sandbox.Syscall(null, 250, 0, 0), sandbox.Syscall(filter, 250, 0, 0));
    }

    [Fact]
    public void KillProcessActionKillsWithSigsys()
    {
        var profile = SeccompProfile.Parse("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["getpriority"], "action": "SCMP_ACT_KILL_PROCESS" } ] }""");
        var result = sandbox.Run(SeccompCompiler.Compile(profile, []), "/bin/sh", "-c", "perl -e 'getpriority(0, 0); print qq(alive)'; echo \"status $?\"");
        Assert.DoesNotContain("alive", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("status 159", result.Stdout, StringComparison.Ordinal); // 128 + SIGSYS (31)
    }
}
