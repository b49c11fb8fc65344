using System.Net;
using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Networking;

/// <summary>
/// Whether a published port could be bound on the host now, as podman checks it before it publishes one (docker's
/// proxy binds it): the host address is one of the host's (or net.ipv4.ip_nonlocal_bind allows it) and no host
/// process has the port. Otherwise the portmap plugin's NAT rules would never match, or would take the port's
/// traffic away from that process.
/// </summary>
internal static class HostPortCheck
{
    public static unsafe void Require(PortMapping mapping)
    {
        // sctp is probed as tcp, as FreeHostPort does: its module may not be loaded.
        int type = mapping.Protocol == "udp" ? LibC.SOCK_DGRAM : LibC.SOCK_STREAM;
        string what = $"{mapping.HostIP ?? "0.0.0.0"}:{mapping.HostPort}/{mapping.Protocol}";
        int fd = Errno.Check(LibC.socket(LibC.AF_INET, type | LibC.SOCK_CLOEXEC, 0), "socket", what);
        try
        {
            // Connections of the past in TIME_WAIT hold no port a listener would be refused.
            int on = 1;
            Errno.Check(LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, &on, sizeof(int)), "setsockopt SO_REUSEADDR", what);
            var address = new sockaddr_in
            {
                sin_family = LibC.AF_INET,
                sin_port = (ushort)IPAddress.HostToNetworkOrder((short)(ushort)mapping.HostPort),
            };
            if (mapping.HostIP is not null)
                IPAddress.Parse(mapping.HostIP).GetAddressBytes().CopyTo(new Span<byte>(&address.sin_addr, sizeof(in_addr)));
            if (LibC.bind(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_in)) == 0)
                return;
            int errno = Errno.Last;
            if (errno == LibC.EADDRNOTAVAIL)
                throw new EngineException("HostIPNotLocal", ErrorKind.InvalidArgument, mapping.ToString(),
                    $"{mapping.HostIP} is not an address of this host: nothing could reach port {mapping}.");
            if (errno == LibC.EADDRINUSE)
                throw new EngineException("HostPortInUse", ErrorKind.ResourceBusy, mapping.ToString(),
                    $"Host port {mapping.HostPort}/{mapping.Protocol} is in use by a process of the host; publish another.");
            throw new NativeCallException("bind", what, errno);
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
