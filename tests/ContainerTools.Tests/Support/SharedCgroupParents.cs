[assembly: AssemblyFixture(typeof(ContainerTools.Tests.Support.SharedCgroupParents))]

namespace ContainerTools.Tests.Support;

/// <summary>
/// Once every test has run, the shared parent groups the tests' containers were placed under go too: the
/// engine keeps them between containers (as runc does), so no single test's store may remove them.
/// </summary>
public sealed class SharedCgroupParents : IDisposable
{
    public void Dispose() => Cleanup.RemoveEmptySharedCgroupParents();
}
