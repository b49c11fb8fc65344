using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>The security parameters of New-Container / Invoke-ContainerImage as a PowerShell user meets them.</summary>
public sealed class SecurityCmdletTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly PowerShellSession ps;

    public SecurityCmdletTests()
    {
        ps = new PowerShellSession(store);
        BusyboxImage.Import(ps);
    }

    public void Dispose()
    {
        ps.Dispose();
        store.Dispose();
    }

    private string[] Lines(string script) => [.. ps.Run(script).Select(o => (string)o.BaseObject)];

    [Fact]
    public void ParametersReachTheContainer()
    {
        var lines = Lines("Invoke-ContainerImage busybox -Remove -CapabilityDrop ALL -CapabilityAdd net_bind_service -SecurityOption seccomp=unconfined " +
                          "-Ulimit nofile=100:200 -ReadOnly -- sh -c 'grep -E \"^(CapEff|Seccomp):\" /proc/self/status; ulimit -n; touch /x 2>&1'");

        Assert.Equal(["CapEff:\t0000000000000400", "Seccomp:\t0", "100", "touch: /x: Read-only file system"], lines);
    }

    [Fact]
    public void SeccompProfilePathIsRelativeToThePowerShellLocation()
    {
        string dir = store.Scratch("profiles");
        File.WriteAllText(Path.Combine(dir, "no-mkdir.json"), """
            { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ] }
            """);

        var lines = Lines($"$ExecutionContext.SessionState.Path.SetLocation('{dir}') | Out-Null; Invoke-ContainerImage busybox -Remove -SecurityOption seccomp=no-mkdir.json -- sh -c 'mkdir /tmp/d 2>&1; echo $?'");

        Assert.Equal(["mkdir: can't create directory '/tmp/d': Permission denied", "1"], lines);
    }

    [Theory]
    [InlineData("-CapabilityAdd CAP_FLY", "UnknownCapability", "CAP_FLY")]
    [InlineData("-CapabilityDrop swim", "UnknownCapability", "swim")]
    [InlineData("-Ulimit nofile=2:1", "InvalidUlimit", "nofile=2:1")]
    [InlineData("-SecurityOption apparmor=unconfined", "InvalidSecurityOption", "apparmor=unconfined")]
    [InlineData("-SecurityOption seccomp=/nonexistent.json", "SeccompProfileNotFound", "/nonexistent.json")]
    public void BadSecurityInputIsAnErrorRecordAndNothingIsCreated(string parameters, string errorId, string target)
    {
        var result = ps.Invoke($"New-Container busybox -Name bad {parameters}");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(errorId == "SeccompProfileNotFound" ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Empty(ps.Run("Get-Container"));
    }

    [Fact]
    public void CapabilityNamesComplete()
    {
        var completions = ps.Run("(TabExpansion2 'New-Container busybox -CapabilityAdd SYS_A').CompletionMatches.CompletionText");
        Assert.Equal(["SYS_ADMIN"], completions.Select(c => (string)c.BaseObject));
    }
}
