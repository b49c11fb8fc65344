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
    [InlineData("80", null, PortMapping.AnyHostPort, 80, "tcp")]
    [InlineData("127.0.0.1::53/udp", "127.0.0.1", PortMapping.AnyHostPort, 53, "udp")]
    public void ParsesDockerSyntax(string text, string? hostIP, int hostPort, int containerPort, string protocol) =>
        Assert.Equal(new PortMapping(hostIP, hostPort, containerPort, protocol), PortMapping.Parse(text));

    [Theory]
    [InlineData("0:80")]
    [InlineData("8080:0")]
    [InlineData("65536:80")]
    [InlineData("8080:70000")]
    [InlineData(":80")]
    [InlineData("::80")]
    [InlineData("0")]
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

    [Fact]
    public void ChosenHostPortsAreFreeDistinctAndLeaveGivenPortsAlone()
    {
        var settings = NetworkSettings.Parse(null, null, ["80", "8080:81", "127.0.0.1::82", "83/udp"], null);
        var inUse = new[] { PortMapping.Parse("40000:80") };

        var chosen = settings.WithHostPortsChosen(inUse).Ports;

        Assert.Equal(PortMapping.Parse("8080:81"), chosen[1]);
        Assert.Equal(("127.0.0.1", 82, "tcp"), (chosen[2].HostIP, chosen[2].ContainerPort, chosen[2].Protocol));
        Assert.Equal((80, 83, "udp"), (chosen[0].ContainerPort, chosen[3].ContainerPort, chosen[3].Protocol));
        Assert.All(chosen, p => Assert.InRange(p.HostPort, 1, 65535));
        Assert.All(chosen, p => Assert.NotEqual(40000, p.HostPort));
        Assert.Equal(3, chosen.Take(3).Select(p => p.HostPort).Distinct().Count());
    }

    [Fact]
    public void NothingIsChosenWithoutANetwork()
    {
        var settings = NetworkSettings.Parse("none", null, ["80"], null);
        Assert.Same(settings, settings.WithHostPortsChosen([]));
    }
}
