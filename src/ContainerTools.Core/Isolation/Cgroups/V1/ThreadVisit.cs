namespace ContainerTools.Core.Isolation.Cgroups.V1;

/// <summary>
/// The calling thread alone, moved into a group on every v1 hierarchy until disposed, then back where it was:
/// a process it starts meanwhile is born in the group. A thread moving itself ("0" into tasks) skips the
/// kernel's global threadgroup lock, whose RCU grace period made moving a whole process through cgroup.procs
/// cost 5-10 ms of every container start.
/// </summary>
internal sealed class ThreadVisit : IDisposable
{
    private const string ThisThread = "0";

    private readonly List<string> _home = [];
    private readonly string? _pidsMax;
    private readonly string? _pidsLimit;

    /// <param name="trees">One tree per hierarchy, each with a controller it carries (to find this thread's own group there).</param>
    public ThreadVisit(IEnumerable<(string Controller, CgroupTree Tree)> trees)
    {
        var own = GroupMembership.Read("/proc/thread-self/cgroup");
        try
        {
            foreach (var (controller, tree) in trees)
            {
                if (controller == "pids")
                {
                    // This thread counts as a task while it is inside: a limit of 1 would refuse the very
                    // process it is there to start. The limit is back before that process is let go.
                    _pidsMax = Path.Combine(tree.Directory, "pids.max");
                    _pidsLimit = ControlFile.Read(_pidsMax);
                    ControlFile.Write(_pidsMax, "max");
                }
                _home.Add(Path.Combine(tree.Root, own[controller].TrimStart('/'), "tasks"));
                ControlFile.Write(Path.Combine(tree.Directory, "tasks"), ThisThread);
            }
        }
        catch (Exception e) when (e is IOException or KeyNotFoundException)
        {
            Dispose();
            throw new EngineException("CgroupPlacementFailed", ErrorKind.ResourceUnavailable, trees.First().Tree.Directory,
                $"cannot place the container in its cgroup: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (string tasks in _home)
            ControlFile.Write(tasks, ThisThread);
        if (_pidsMax is not null)
            ControlFile.Write(_pidsMax, _pidsLimit!);
    }
}
