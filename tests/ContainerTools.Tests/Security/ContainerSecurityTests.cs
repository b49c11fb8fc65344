using ContainerTools.Core;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

public sealed class ContainerSecurityTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    [Fact]
    public void DefaultsAreDockersWithNoNewPrivileges()
    {
        var security = ContainerSecurity.From();
        Assert.Equal(Capabilities.DockerDefault.OrderBy(Capabilities.Number), security.Capabilities);
        Assert.True(security.NoNewPrivileges);
        Assert.Same(SeccompProfile.Default, security.Seccomp);
        Assert.NotEmpty(File.ReadAllBytes(security.SeccompFile(new SeccompFilterCache(store.Location.SeccompDirectory))!));
    }

    [Fact]
    public void SeccompUnconfinedHasNoFilter()
    {
        var security = ContainerSecurity.From(securityOptions: ["seccomp=unconfined"]);
        Assert.Null(security.Seccomp);
        Assert.Null(security.SeccompFile(new SeccompFilterCache(store.Location.SeccompDirectory)));
    }

    [Fact]
    public void SeccompProfileFileIsReadAndCompiledForTheCapabilities()
    {
        string file = Path.Combine(store.Scratch("profiles"), "p.json");
        File.WriteAllText(file, """{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO" } ] }""");

        var security = ContainerSecurity.From(capabilityAdd: ["SYS_ADMIN"], securityOptions: ["seccomp:" + file, "no-new-privileges"]);

        Assert.Equal(SeccompAction.Allow, security.Seccomp!.DefaultAction);
        Assert.Contains("CAP_SYS_ADMIN", security.Capabilities);
        Assert.NotEmpty(File.ReadAllBytes(security.SeccompFile(new SeccompFilterCache(store.Location.SeccompDirectory))!));
    }

    [Fact]
    public void PrivilegedHasEveryCapabilityAndNoFilterUnlessOneIsAskedFor()
    {
        var privileged = ContainerSecurity.From(privileged: true);
        Assert.Equal(BoundingSet.OfThisProcess(), privileged.Capabilities);
        Assert.Null(privileged.Seccomp);
        Assert.True(privileged.Privileged);
    }

    [Fact]
    public void NoNewPrivilegesCanBeTurnedOff() =>
        Assert.False(ContainerSecurity.From(securityOptions: ["no-new-privileges=false"]).NoNewPrivileges);

    [Fact]
    public void UlimitsAreParsedAndDuplicatesRefused()
    {
        Assert.Equal([new Ulimit("nofile", 7, 1024, 2048)], ContainerSecurity.From(ulimits: ["nofile=1024:2048"]).Ulimits);
        var error = Assert.Throws<EngineException>(() => ContainerSecurity.From(ulimits: ["nofile=1", "NOFILE=2"]));
        Assert.Equal("InvalidUlimit", error.ErrorId);
    }

    [Theory]
    [InlineData("apparmor=unconfined", "InvalidSecurityOption", "apparmor")]
    [InlineData("seccomp", "InvalidSecurityOption", "needs a value")]
    [InlineData("no-new-privileges=maybe", "InvalidSecurityOption", "'maybe'")]
    [InlineData("seccomp=/nonexistent/profile.json", "SeccompProfileNotFound", "/nonexistent/profile.json")]
    public void BadSecurityOptionIsAnErrorBeforeAnythingStarts(string option, string errorId, string expected)
    {
        var error = Assert.Throws<EngineException>(() => ContainerSecurity.From(securityOptions: [option]));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedProfileFileNamesTheFile()
    {
        string file = Path.Combine(store.Scratch("profiles"), "bad.json");
        File.WriteAllText(file, """{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_MAYBE" } ] }""");

        var error = Assert.Throws<EngineException>(() => ContainerSecurity.From(securityOptions: ["seccomp=" + file]));

        Assert.Equal("InvalidSeccompProfile", error.ErrorId);
        Assert.Equal(file, error.Target);
        Assert.Contains("syscalls[0].action", error.Message, StringComparison.Ordinal);
    }
}
