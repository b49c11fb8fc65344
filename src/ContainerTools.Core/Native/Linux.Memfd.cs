using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Anonymous in-memory files, their seals (memfd_create, F_ADD_SEALS) and filling them in the kernel (sendfile).</summary>
public static partial class Linux
{
    public const uint MFD_CLOEXEC = 0x1;
    public const uint MFD_ALLOW_SEALING = 0x2;
    public const int F_ADD_SEALS = 1033;
    public const int F_GET_SEALS = 1034;
    public const int F_SEAL_SEAL = 0x1;
    public const int F_SEAL_SHRINK = 0x2;
    public const int F_SEAL_GROW = 0x4;
    public const int F_SEAL_WRITE = 0x8;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    /// <summary>sendfile(2) with the input's own file offset (no offset pointer): copies without a user-space buffer.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendfile(int outFd, int inFd, nint offset, nuint count);
}
