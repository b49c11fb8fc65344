using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Oci;

/// <summary>
/// linux.devices: the nodes made in the container's /dev (resolved inside the root, parents created), with
/// their mode and owner. A node already there is kept when it is the same device, an error otherwise (the spec).
/// </summary>
public static class OciDevices
{
    public static void Create(RootedPath root, IEnumerable<SpecDevice> devices)
    {
        foreach (var device in devices)
            CreateOne(root, device);
    }

    /// <summary>Checks an entry before anything is made: an absolute path, a known type, device numbers for c/b/u.</summary>
    public static void Validate(SpecDevice device)
    {
        if (!device.Path.StartsWith('/') || device.Path.Split('/').Contains(".."))
            throw Invalid(device, $"linux.devices path \"{device.Path}\" must be absolute, without \"..\"");
        if (TypeBits(device.Type) is null)
            throw Invalid(device, $"linux.devices {device.Path}: type \"{device.Type}\" is not one of c, b, u, p");
        if (device.Type != "p" && (device.Major is < 0 or > 0xFFFFF || device.Minor is < 0 or > 0xFFFFF))
            throw Invalid(device, $"linux.devices {device.Path}: major {device.Major} or minor {device.Minor} is out of range");
    }

    private static void CreateOne(RootedPath root, SpecDevice device)
    {
        Validate(device);
        uint type = TypeBits(device.Type)!.Value;
        ulong number = device.Type == "p" ? 0 : Linux.MakeDevice((uint)device.Major, (uint)device.Minor);
        string name = Path.GetFileName(device.Path);
        using var parent = RootPath.OpenDirectory(root, Path.GetDirectoryName(device.Path) ?? "/");
        using var directory = new SafeFileHandle(
            Errno.Check(Linux.openat(Linux.AT_FDCWD, RootPath.Magic(parent), Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0), "open", device.Path), ownsHandle: true);
        int dir = (int)directory.DangerousGetHandle();
        uint mode = device.FileMode ?? 0x1B6; // 0666, runc's default
        if (Linux.mknodat(dir, name, type | (mode & 0xFFF), number) < 0)
        {
            int error = Errno.Last;
            // In a user namespace mknod is refused: the host's node is bound instead, its mode and owner the host's (as runc).
            if (error == Errno.EPERM && File.Exists(device.Path))
            {
                Devices.BindHostNode(dir, name, device.Path);
                return;
            }
            if (error != Errno.EEXIST)
                throw new NativeCallException("mknodat", device.Path, error);
            EnsureSameDevice(dir, name, device, type, number);
        }
        // mknod obeys the umask; the spec's mode and owner are exact.
        Errno.Check(Linux.fchmodat(dir, name, mode & 0xFFF, 0), "fchmodat", device.Path);
        Errno.Check(Linux.fchownat(dir, name, (int)(device.Uid ?? 0), (int)(device.Gid ?? 0), Linux.AT_SYMLINK_NOFOLLOW), "fchownat", device.Path);
    }

    private static void EnsureSameDevice(int dir, string name, SpecDevice device, uint type, ulong number)
    {
        using var existing = new SafeFileHandle(
            Errno.Check(Linux.openat(dir, name, Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", device.Path), ownsHandle: true);
        int fd = (int)existing.DangerousGetHandle();
        if (Linux.Status(fd, device.Path).Type != type || (type != Linux.S_IFIFO && Linux.DeviceNumberOf(fd, device.Path) != number))
            throw new EngineException("DeviceConflict", ErrorKind.InvalidArgument, device.Path,
                $"linux.devices {device.Path}: a different file is already there");
    }

    private static uint? TypeBits(string type) => type switch
    {
        "c" or "u" => Linux.S_IFCHR,
        "b" => Linux.S_IFBLK,
        "p" => Linux.S_IFIFO,
        _ => null,
    };

    private static EngineException Invalid(SpecDevice device, string message) =>
        new("InvalidDevice", ErrorKind.InvalidArgument, device.Path, message);
}
