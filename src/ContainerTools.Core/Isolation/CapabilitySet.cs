using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Isolation;

/// <summary>Reduces the process's capabilities to the spec's sets: bounding first (irreversible), then the rest.</summary>
public static class CapabilitySet
{
    public static void DropBounding(SpecCapabilities capabilities)
    {
        ulong keep = Capabilities.Mask(capabilities.Bounding);
        int last = Capabilities.LastCap();
        for (int cap = 0; cap <= last; cap++)
        {
            if ((keep & (1UL << cap)) == 0)
                Errno.Check(Linux.prctl(Linux.PR_CAPBSET_DROP, (nuint)cap, 0, 0, 0), "prctl(PR_CAPBSET_DROP)", cap.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static unsafe void Set(SpecCapabilities capabilities)
    {
        ulong effective = Capabilities.Mask(capabilities.Effective);
        ulong permitted = Capabilities.Mask(capabilities.Permitted);
        ulong inheritable = Capabilities.Mask(capabilities.Inheritable);
        var header = new Linux.CapHeader { Version = Linux.LINUX_CAPABILITY_VERSION_3 };
        var data = stackalloc Linux.CapData[2];
        data[0] = new Linux.CapData { Effective = (uint)effective, Permitted = (uint)permitted, Inheritable = (uint)inheritable };
        data[1] = new Linux.CapData { Effective = (uint)(effective >> 32), Permitted = (uint)(permitted >> 32), Inheritable = (uint)(inheritable >> 32) };
        Errno.Check(Linux.capset(&header, data), "capset");
    }
}
