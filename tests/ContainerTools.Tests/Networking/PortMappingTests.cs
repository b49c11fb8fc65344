using ContainerTools.Core;
using ContainerTools.Core.Networking;

namespace ContainerTools.Tests.Networking;

public sealed class PortMappingTests
{
    [Theory]
    [InlineData("8080:80", null, 8080, 80, "tcp")]
    [InlineData("127.0.0.1:5353:53/udp", "127.0.0.1", 5353, 53, "udp")]
    [InlineData("65535:1/TCP", null, 65535, 1, "tcp")]
    [InlineData("10.0.0.1:443:8443/sctp", "10.0.0.1", 443, 8443, "sctp")]
    public void ParsesDockerSyntax(string text, string? hostIP, int hostPort, int containerPort, string protocol) =>
        Assert.Equal(new PortMapping(hostIP, hostPort, containerPort, protocol), PortMapping.Parse(text));

    [Theory]
    [InlineData("0:80")]
    [InlineData("8080:0")]
    [InlineData("65536:80")]
    [InlineData("8080:70000")]
    [InlineData("80")]
    [InlineData("a:b:c:d")]
    [InlineData("localhost:80:80")]
    [InlineData("8080:80/icmp")]
    [InlineData("-1:80")]
    public void RejectsBadMappingsAsInvalidArgument(string text)
    {
        var error = Assert.Throws<EngineException>(() => PortMapping.Parse(text));
        Assert.Equal("InvalidPortMapping", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(text, error.Target);
    }

    [Fact]
    public void AllAddressesConflictWithOneAddressButProtocolsAreSeparate()
    {
        Assert.True(PortMapping.Parse("8080:80").ConflictsWith(PortMapping.Parse("127.0.0.1:8080:81")));
        Assert.False(PortMapping.Parse("127.0.0.2:8080:80").ConflictsWith(PortMapping.Parse("127.0.0.1:8080:81")));
        Assert.False(PortMapping.Parse("8080:80/udp").ConflictsWith(PortMapping.Parse("8080:80")));
        Assert.Equal("127.0.0.1:5353->53/udp", PortMapping.Parse("127.0.0.1:5353:53/udp").ToString());
    }
}
