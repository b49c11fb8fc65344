using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>A test's own groups, named after its store (so the store's cleanup finds them) and deleted at the end.</summary>
public sealed class CgroupScope(TestStore store, ICgroupDriver driver) : IDisposable
{
    private readonly List<ICgroup> _groups = [];

    public ICgroupDriver Driver => driver;

    public string PathFor(string purpose) => Core.Isolation.Cgroups.Cgroups.PathFor($"{Path.GetFileName(store.Path)}-{purpose}");

    public ICgroup Create(string purpose, ResourceLimits limits)
    {
        var group = driver.Create(PathFor(purpose), limits);
        _groups.Add(group);
        return group;
    }

    public void Dispose()
    {
        foreach (var group in _groups)
            group.Delete();
    }
}
