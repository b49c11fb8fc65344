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
