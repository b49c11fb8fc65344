using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>linux.sysctl: kernel parameters of the container's own namespaces, written under its /proc/sys (after pivot_root).</summary>
public static class Sysctls
{
    public static void Apply(IReadOnlyDictionary<string, string>? sysctls)
    {
        if (sysctls is null)
            return;
        int procSys = Errno.Check(Linux.openat(Linux.AT_FDCWD, "/proc/sys", Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0), "open", "/proc/sys");
        try
        {
            foreach (var (name, value) in sysctls)
            {
                // "net.ipv4.ip_forward" names net/ipv4/ip_forward; resolved beneath /proc/sys, never above it.
                string relative = name.Replace('.', '/');
                int fd = Linux.openat2(procSys, relative, (ulong)(Linux.O_WRONLY | Linux.O_CLOEXEC), 0, Linux.RESOLVE_BENEATH);
                if (fd < 0)
                    throw new EngineException("InvalidSysctl", ErrorKind.InvalidArgument, name,
                        $"sysctl {name}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(Errno.Last)}");
                using var file = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Write);
                file.Write(System.Text.Encoding.ASCII.GetBytes(value));
            }
        }
        finally
        {
            Linux.close(procSys);
        }
    }
}
