using ContainerTools.Core;
using ContainerTools.Core.Networking;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>Item 7: bad requests are engine errors with the right kind and target, and change nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    public static TheoryData<string, string, ErrorKind> Cases => new()
    {
        { "outside", "IPAddressOutsideSubnet", ErrorKind.InvalidArgument },
        { "gateway", "IPAddressOutsideSubnet", ErrorKind.InvalidArgument },
        { "inuse", "IPAddressInUse", ErrorKind.AlreadyExists },
        { "notanip", "InvalidIPAddress", ErrorKind.InvalidArgument },
        { "port", "PortAlreadyPublished", ErrorKind.AlreadyExists },
        { "porttwice", "PortAlreadyPublished", ErrorKind.AlreadyExists },
        { "unknown", "NetworkNotFound", ErrorKind.NotFound },
        { "internalport", "PortsNeedNetwork", ErrorKind.InvalidArgument },
        { "noneport", "PortsNeedNetwork", ErrorKind.InvalidArgument },
        { "twice", "DuplicateNetwork", ErrorKind.InvalidArgument },
        { "badid", "InvalidContainerId", ErrorKind.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadRequestIsRejectedAndChangesNothing(string label, string errorId, ErrorKind kind)
    {
        var network = _bed.CreateNetwork("good");
        _bed.CreateNetwork("inner", @internal: true);
        int port = HostPorts.Free(count: 4);
        var first = _bed.Networking.Attach("900d0001", "first", _bed.CreateNamespace("first"),
            new NetworkRequest([new EndpointRequest("good")], [PortMapping.Parse($"{port}:80")]));
        string ns = _bed.CreateNamespace("second");
        var request = label switch
        {
            "outside" => Request("good", "192.168.77.5"),
            "gateway" => Request("good", network.Gateway),
            "inuse" => Request("good", first.Endpoints[0].IPAddress),
            "notanip" => Request("good", "10.1.2"), // inet_aton would read 10.1.0.2: too lenient for a user's address
            "port" => Request("good", ports: [$"127.0.0.1:{port}:80"]),
            "porttwice" => Request("good", ports: [$"{port + 1}:80", $"{port + 1}:81"]),
            "unknown" => Request("nope"),
            "internalport" => Request("inner", ports: [$"{port + 2}:80"]),
            "noneport" => new NetworkRequest([], [PortMapping.Parse($"{port + 3}:80")]),
            "twice" => new NetworkRequest([new EndpointRequest("good"), new EndpointRequest("good")], []),
            _ => Request("good"),
        };
        string id = label == "badid" ? "../escape" : "900d0002";
        var before = Snapshot(network);

        var error = Assert.Throws<EngineException>(() => _bed.Networking.Attach(id, "second", ns, request));

        Assert.Equal((errorId, kind), (error.ErrorId, error.Kind));
        Assert.NotNull(error.Target);
        Assert.Equal(before, Snapshot(network));
        Assert.Equal(["lo"], HostState.InterfacesIn(ns));
    }

    private static NetworkRequest Request(string network, string? ip = null, string[]? ports = null) =>
        new([new EndpointRequest(network, ip)], (ports ?? []).Select(PortMapping.Parse).ToList());

    private string Snapshot(ContainerNetworkInfo network)
    {
        string run = Path.Combine(_bed.Store.Location.RunRoot, "networks");
        var files = Directory.GetFiles(run, "*", SearchOption.AllDirectories).Order()
            .Select(f => f + ":" + (f.Contains("/netns/") ? "" : File.ReadAllText(f)));
        return string.Join("\n", files.Append(string.Join(",", HostState.VethsOn(network.Bridge))));
    }
}
