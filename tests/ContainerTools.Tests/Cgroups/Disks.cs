using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>The whole disk a path lives on (throttle rules name disks, not partitions).</summary>
public static class Disks
{
    public static string Holding(string path)
    {
        string number = Tool.Run("stat", "-c", "%Hd:%Ld", path).Trim();
        var device = (DirectoryInfo)new DirectoryInfo(Path.Combine("/sys/dev/block", number)).ResolveLinkTarget(returnFinalTarget: true)!;
        string sysfs = File.Exists(Path.Combine(device.FullName, "partition")) ? device.Parent!.FullName : device.FullName;
        return "/dev/" + Path.GetFileName(sysfs);
    }
}
