using ContainerTools.Core;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Isolation.Seccomp;

namespace ContainerTools.Tests.Security;

public sealed class SeccompProfileTests
{
    [Fact]
    public void ParsesDockerFormatProfileOnThisMachine()
    {
        // Podman's default profile ships in Docker's format (containers-common); it must read as Docker would.
        const string podmanProfile = "/usr/share/containers/seccomp.json";
        Assert.SkipUnless(File.Exists(podmanProfile), "containers-common's seccomp.json is not installed");

        var profile = SeccompProfile.Load(podmanProfile);

        Assert.Equal(SeccompAction.Errno, profile.DefaultAction);
        Assert.Contains("SCMP_ARCH_X86_64", profile.ArchMap.Select(m => m.Architecture));
        Assert.Contains(profile.Syscalls, r => r.Names.Contains("keyctl") || r.Names.Contains("read"));
        Assert.Contains(profile.Syscalls, r => r.Includes.Capabilities.Contains("CAP_SYS_ADMIN"));
        Assert.NotEmpty(SeccompCompiler.Compile(profile, Capabilities.DockerDefault));
    }

    [Fact]
    public void ReadsEveryPartOfARule()
    {
        var profile = SeccompProfile.Parse("""
            {
              "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
              "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
              "syscalls": [
                { "names": ["personality"], "action": "SCMP_ACT_ALLOW", "comment": "ignored",
                  "args": [ { "index": 0, "value": 255, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ" } ],
                  "includes": { "caps": ["sys_admin"], "arches": ["amd64"], "minKernel": "5.4" },
                  "excludes": { "caps": ["CAP_BPF"] } },
                { "name": "getpid", "action": "SCMP_ACT_TRACE", "errnoRet": 7 }
              ]
            }
            """);

        Assert.Equal(38, profile.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], profile.ArchitecturesForThisMachine());
        var rule = profile.Syscalls[0];
        Assert.Equal(new SeccompArgument(0, 255, 8, SeccompOperator.MaskedEqual), Assert.Single(rule.Arguments));
        Assert.Equal(["CAP_SYS_ADMIN"], rule.Includes.Capabilities);
        Assert.Equal(new Version(5, 4), rule.Includes.MinKernel);
        Assert.Equal(["CAP_BPF"], rule.Excludes.Capabilities);
        Assert.Equal(["getpid"], profile.Syscalls[1].Names);
        Assert.Equal(SeccompAction.Trace, profile.Syscalls[1].Action);
    }

    [Fact]
    public void DefaultProfileCoversThisMachinesArchitectures()
    {
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], SeccompProfile.Default.ArchitecturesForThisMachine());
        Assert.NotEmpty(SeccompCompiler.Compile(SeccompProfile.Default, Capabilities.All));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{", "not valid profile JSON" },
        { "null", "empty" },
        { "{}", "defaultAction '' is not one of" },
        { """{"defaultAction": "SCMP_ACT_DENY"}""", "defaultAction 'SCMP_ACT_DENY'" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 70000}""", "defaultErrnoRet 70000" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": "read"}""", "not valid profile JSON" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"action": "SCMP_ACT_ALLOW"} ]}""", "syscalls[0] names no syscall" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"names": ["read"], "action": "ALLOW"} ]}""", "syscalls[0].action 'ALLOW'" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1} ]}""", "syscalls[0].errnoRet is only meaningful" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ {"index": 6, "value": 1, "op": "SCMP_CMP_EQ"} ]} ]}""", "syscalls[0].args[0].index" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ {"index": 0, "value": 1, "op": "EQ"} ]} ]}""", "syscalls[0].args[0].op 'EQ'" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_FLY"]}} ]}""", "syscalls[0].includes.caps[0]" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "new"}} ]}""", "minKernel 'new'" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["x86_64"]}""", "architectures[0] 'x86_64'" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "archMap": [ {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_Z80"]} ]}""", "archMap[0].subArchitectures[0]" },
        { """{"defaultAction": "SCMP_ACT_NOTIFY"}""", "SCMP_ACT_NOTIFY" },
        { """{"defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_LOG"]}""", "'flags'" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedProfileIsInvalidArgumentNamingWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<EngineException>(() => SeccompProfile.Parse(json, "/p.json"));

        Assert.Equal("InvalidSeccompProfile", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("/p.json", error.Target);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'/p.json'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingProfileFileIsNotFound()
    {
        var error = Assert.Throws<EngineException>(() => SeccompProfile.Load("/nonexistent/profile.json"));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("/nonexistent/profile.json", error.Target);
    }

    [Theory]
    [InlineData("6.18.44-fc-v445", 6, 18, 44)]
    [InlineData("5.10.0-21-amd64", 5, 10, 0)]
    [InlineData("4.8", 4, 8, -1)]
    public void KernelReleaseReadsLeadingNumbers(string release, int major, int minor, int build)
    {
        var version = KernelRelease.Parse(release);
        Assert.Equal((major, minor, build), (version.Major, version.Minor, version.Build));
    }
}
