using System.Diagnostics;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>A thread visiting a group to start a process there (how a monitor gives birth to its init inside its cgroup).</summary>
public sealed class ThreadPlacementTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly CgroupScope _groups;

    public ThreadPlacementTests() => _groups = new CgroupScope(_store, Core.Isolation.Cgroups.Cgroups.Detect());

    public void Dispose()
    {
        _groups.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void AProcessStartedByAVisitingThreadIsBornInTheGroupUnderItsLimitAndTheThreadGoesBack()
    {
        // A limit of one task: the visiting thread must not take the place of the process it starts.
        var group = _groups.Create("born", new ResourceLimits { PidsLimit = 1 });
        string before = "", after = "";
        bool visited = false;
        Process? born = null;
        var thread = new Thread(() =>
        {
            before = File.ReadAllText("/proc/thread-self/cgroup");
            using (var visit = group.EnterThisThread())
            {
                visited = visit is not null;
                if (visited)
                    born = Process.Start(new ProcessStartInfo(Busybox.Binary) { ArgumentList = { "sh", "-c", "read go", _store.Path }, RedirectStandardInput = true });
            }
            after = File.ReadAllText("/proc/thread-self/cgroup");
        });
        thread.Start();
        thread.Join();
        Assert.SkipUnless(visited, "this cgroup driver moves whole processes only");
        using var process = born!;
        try
        {
            Assert.Equal([process.Id], group.ProcessIds());
            Assert.Equal(before, after);
            Assert.Equal(1, group.ReadUsage().PidsLimit);
        }
        finally
        {
            process.Kill();
        }
    }
}
