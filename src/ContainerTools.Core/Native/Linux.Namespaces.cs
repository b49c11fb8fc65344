using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Namespaces: unshare, setns, the UTS name.</summary>
public static partial class Linux
{
    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWCGROUP = 0x02000000;
    public const int CLONE_NEWUTS = 0x04000000;
    public const int CLONE_NEWIPC = 0x08000000;
    public const int CLONE_NEWUSER = 0x10000000;
    public const int CLONE_NEWPID = 0x20000000;
    public const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sethostname(string name, nuint length);
}
