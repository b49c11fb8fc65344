using ContainerTools.Core;
using ContainerTools.Core.Isolation;

namespace ContainerTools.Tests.Security;

public sealed class UlimitTests
{
    [Theory]
    [InlineData("nofile=1024:2048", "nofile", 7, 1024UL, 2048UL)]
    [InlineData("NPROC=512", "nproc", 6, 512UL, 512UL)]
    [InlineData("core=0:unlimited", "core", 4, 0UL, Ulimit.Unlimited)]
    [InlineData("memlock=-1:-1", "memlock", 8, Ulimit.Unlimited, Ulimit.Unlimited)]
    public void ParsesDockerSyntax(string text, string name, int resource, ulong soft, ulong hard)
    {
        var limit = Ulimit.Parse(text);
        Assert.Equal(new Ulimit(name, resource, soft, hard), limit);
        Assert.Equal("RLIMIT_" + name.ToUpperInvariant(), limit.OciType);
    }

    [Theory]
    [InlineData("nofile", "expected name=soft")]
    [InlineData("=10", "expected name=soft")]
    [InlineData("files=10", "'files' is not a resource limit")]
    [InlineData("nofile=2048:1024", "above the hard limit")]
    [InlineData("nofile=ten", "'ten' is not a number")]
    [InlineData("nofile=1:2:3", "at most soft:hard")]
    [InlineData("nofile=-5", "'-5' is not a number")]
    public void BadUlimitIsInvalidArgument(string text, string expected)
    {
        var error = Assert.Throws<EngineException>(() => Ulimit.Parse(text));
        Assert.Equal("InvalidUlimit", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(text, error.Target);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTripsThroughTheOciName()
    {
        var limit = Ulimit.Parse("nofile=10:20");
        Assert.Equal(limit, Ulimit.FromOci(limit.OciType, 10, 20));
        Assert.Equal("RLIMIT_FOO", Assert.Throws<EngineException>(() => Ulimit.FromOci("RLIMIT_FOO", 1, 1)).Target);
    }
}
