using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>A new network namespace has only a loopback interface, and it is down: bring it up.</summary>
public static class Loopback
{
    public static unsafe void Up()
    {
        int socket = Errno.Check(Linux.socket(Linux.AF_INET, Linux.SOCK_DGRAM | Linux.SOCK_CLOEXEC, 0), "socket", "lo");
        try
        {
            var request = new Linux.IfReqFlags();
            request.Name[0] = (byte)'l';
            request.Name[1] = (byte)'o';
            Errno.Check(Linux.ioctl(socket, Linux.SIOCGIFFLAGS, &request), "ioctl(SIOCGIFFLAGS)", "lo");
            request.Flags |= Linux.IFF_UP | Linux.IFF_RUNNING;
            Errno.Check(Linux.ioctl(socket, Linux.SIOCSIFFLAGS, &request), "ioctl(SIOCSIFFLAGS)", "lo");
        }
        finally
        {
            Linux.close(socket);
        }
    }
}
