using System.Net;
using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Networking;

/// <summary>
/// A host port for '-Publish 80', found as the kernel finds an ephemeral port: bind port 0 and read back what
/// it gave. The port is free on the host now; the socket is closed at once
/// (the portmap plugin's NAT rules, not a listener, carry the traffic).
/// </summary>
internal static class FreeHostPort
{
    /// <summary>A free port for <paramref name="mapping"/> that is not in <paramref name="taken"/>, then added to it.</summary>
    public static int Pick(PortMapping mapping, ISet<(int Port, string Protocol)> taken)
    {
        // The kernel picks at random in ip_local_port_range: a few tries find one no container has claimed.
        for (int attempt = 0; attempt < 32; attempt++)
        {
            int port = Probe(mapping);
            if (taken.Add((port, mapping.Protocol)))
                return port;
        }
        throw new EngineException("NoFreeHostPort", ErrorKind.ResourceUnavailable, mapping.ToString(),
            $"No free host port was found to publish {mapping.ContainerPort}/{mapping.Protocol}; give one (hostPort:{mapping.ContainerPort}).");
    }

    private static unsafe int Probe(PortMapping mapping)
    {
        // sctp is probed as tcp: its module may not be loaded, and both share the port space docker checks.
        int type = mapping.Protocol == "udp" ? LibC.SOCK_DGRAM : LibC.SOCK_STREAM;
        string what = $"0.0.0.0:0/{mapping.Protocol}";
        int fd = Errno.Check(LibC.socket(LibC.AF_INET, type | LibC.SOCK_CLOEXEC, 0), "socket", what);
        try
        {
            // Any address (zero) and port 0: the kernel gives a port free on every address, so on the mapping's
            // too; whether the mapping's address is the host's is HostPortCheck's to say.
            var address = new sockaddr_in { sin_family = LibC.AF_INET };
            Errno.Check(LibC.bind(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_in)), "bind", what);
            socklen_t length = (uint)sizeof(sockaddr_in);
            Errno.Check(LibC.getsockname(fd, (sockaddr*)&address, &length), "getsockname", what);
            return (ushort)IPAddress.NetworkToHostOrder((short)(ushort)address.sin_port);
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
