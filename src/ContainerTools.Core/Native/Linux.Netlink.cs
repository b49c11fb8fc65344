using System.Buffers.Binary;
using System.Text;
using Tmds.Linux;

namespace ContainerTools.Core.Native;

/// <summary>
/// The one rtnetlink request the engine needs itself: deleting a network interface by name (a network's
/// bridge when the network is removed; the CNI bridge plugin creates bridges but never deletes them).
/// </summary>
public static partial class Linux
{
    public const int ENODEV = 19;

    private const int AF_NETLINK = 16;
    private const int NETLINK_ROUTE = 0;
    private const ushort RTM_DELLINK = 17;
    private const ushort NLMSG_ERROR = 2;
    private const ushort NLM_F_REQUEST = 1;
    private const ushort NLM_F_ACK = 4;
    private const ushort IFLA_IFNAME = 3;

    /// <summary>Deletes the interface named <paramref name="name"/>; false when there was none.</summary>
    public static unsafe bool DeleteLink(string name)
    {
        byte[] request = DeleteLinkRequest(name);
        int fd = Errno.Check(LibC.socket(AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE), "socket", "netlink");
        try
        {
            fixed (byte* p = request)
            {
                // No address: an unconnected netlink socket sends to the kernel (port id 0).
                if (LibC.sendto(fd, p, request.Length, 0, null, 0) < 0)
                    throw new NativeCallException("sendto", "netlink RTM_DELLINK " + name, Errno.Last);
            }
            var reply = new byte[4096];
            fixed (byte* p = reply)
            {
                while (true)
                {
                    long received = LibC.recv(fd, p, reply.Length, 0);
                    if (received < 0 && Errno.Last == Errno.EINTR)
                        continue;
                    if (received < 0)
                        throw new NativeCallException("recv", "netlink RTM_DELLINK " + name, Errno.Last);
                    int error = AckError(reply.AsSpan(0, (int)received));
                    if (error == ENODEV)
                        return false;
                    if (error != 0)
                        throw new NativeCallException("RTM_DELLINK", name, error);
                    return true;
                }
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>nlmsghdr + ifinfomsg + IFLA_IFNAME attribute, in native (little-endian) byte order.</summary>
    private static byte[] DeleteLinkRequest(string name)
    {
        byte[] ifname = Encoding.ASCII.GetBytes(name + "\0");
        int attributeLength = 4 + ifname.Length;
        int length = 16 + 16 + Align4(attributeLength);
        var message = new byte[length];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], RTM_DELLINK);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], NLM_F_REQUEST | NLM_F_ACK);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 1); // sequence
        // ifinfomsg: family AF_UNSPEC, index 0 (the kernel looks the link up by IFLA_IFNAME).
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)attributeLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], IFLA_IFNAME);
        ifname.CopyTo(span[36..]);
        return message;
    }

    /// <summary>The errno of a netlink acknowledgement (0 for success).</summary>
    private static int AckError(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < 20 || BinaryPrimitives.ReadUInt16LittleEndian(reply[4..]) != NLMSG_ERROR)
            throw new IOException("netlink: unexpected reply to RTM_DELLINK");
        return -BinaryPrimitives.ReadInt32LittleEndian(reply[16..]);
    }

    private static int Align4(int length) => (length + 3) & ~3;
}
