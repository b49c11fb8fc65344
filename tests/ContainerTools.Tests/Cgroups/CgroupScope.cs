using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>A test's own groups, named after its store (so the store's cleanup finds them) and deleted at the end.</summary>
public sealed class CgroupScope(TestStore store, ICgroupDriver driver) : IDisposable
{
    private readonly List<ICgroup> _groups = [];

    public ICgroupDriver Driver => driver;

    public string PathFor(string purpose) => Core.Isolation.Cgroups.Cgroups.PathFor($"{Path.GetFileName(store.Path)}-{purpose}");

    public ICgroup Create(string purpose, ResourceLimits limits) => Track(driver.Create(PathFor(purpose), limits));

    /// <summary>
    /// A group directly below the hierarchy roots. CPU shares weigh a group only against its siblings, and
    /// every container group shares the "containertools" parent: CPU tests need their shares to count
    /// against the machine's other work.
    /// </summary>
    public ICgroup CreateAtRoot(string purpose, ResourceLimits limits) => Track(driver.Create($"{Path.GetFileName(store.Path)}-{purpose}", limits));

    /// <summary>
    /// The kernel's count of forks refused because a group hit pids.max (pids.events "max"): proof that the
    /// limit, and nothing else, stopped them.
    /// </summary>
    public static long RefusedForks(ICgroupDriver driver, ICgroup group)
    {
        string root = driver is Core.Isolation.Cgroups.V2.CgroupV2Driver v2 ? v2.MountRoot : CgroupMounts.Read().V1Controllers["pids"];
        string events = Path.Combine(root, group.RelativePath, "pids.events");
        return File.ReadLines(events).Where(l => l.StartsWith("max ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..])).Single();
    }

    private ICgroup Track(ICgroup group)
    {
        _groups.Add(group);
        return group;
    }

    public void Dispose()
    {
        foreach (var group in _groups)
            group.Delete();
    }
}
