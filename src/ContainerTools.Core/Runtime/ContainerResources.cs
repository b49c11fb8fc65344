using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Statistics;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A container's cgroup from the outside: limits changed live and recorded, pause and resume, statistics.
/// Each change holds the container's lock, like the lifecycle transitions it sits beside.
/// </summary>
public sealed class ContainerResources(ContainerStore store)
{
    /// <summary>The container's group, when it has one (it exists while the container runs).</summary>
    public static ICgroup? GroupOf(string id) => Cgroups.Detect().Open(Cgroups.PathFor(id));

    /// <summary>
    /// Applies <paramref name="changes"/> over the recorded limits: validated whole first, then written to the
    /// running group (at once), then recorded so the next start applies them too.
    /// </summary>
    public ContainerSnapshot SetLimits(string nameOrId, ResourceLimits changes)
    {
        return Locked(nameOrId, container =>
        {
            var limits = container.Record.Limits.With(changes);
            ResourceLimitsValidator.Validate(limits);
            if (container.IsRunning)
                GroupOf(container.Id)?.Update(limits);
            var record = container.Record with { Limits = limits };
            store.WriteRecord(record);
            return container with { Record = record };
        });
    }

    /// <summary>Freezes every process of a running container; status Paused.</summary>
    public ContainerSnapshot Pause(string nameOrId)
    {
        return Locked(nameOrId, container =>
        {
            if (container.Status == ContainerStatus.Paused)
                throw NotInStatus(container, "ContainerAlreadyPaused", "is already paused");
            if (container.Status != ContainerStatus.Running)
                throw NotInStatus(container, "ContainerNotRunning", "is not running");
            RunningGroup(container).Freeze();
            return WriteStatus(container, ContainerStatus.Paused);
        });
    }

    /// <summary>Thaws a paused container; status Running.</summary>
    public ContainerSnapshot Resume(string nameOrId)
    {
        return Locked(nameOrId, container =>
        {
            if (container.Status != ContainerStatus.Paused)
                throw NotInStatus(container, "ContainerNotPaused", "is not paused");
            RunningGroup(container).Thaw();
            return WriteStatus(container, ContainerStatus.Running);
        });
    }

    /// <summary>What the statistics sampler reads for each container: its group and init while it runs, nothing otherwise.</summary>
    public static IReadOnlyList<StatisticsTarget> StatisticsTargets(IEnumerable<ContainerSnapshot> containers) =>
        containers.Select(c => c.IsRunning
                ? new StatisticsTarget(c.Id, c.Name, GroupOf(c.Id), c.State.Init?.Pid)
                : new StatisticsTarget(c.Id, c.Name, null, null))
            .ToList();

    private ContainerSnapshot Locked(string nameOrId, Func<ContainerSnapshot, ContainerSnapshot> change)
    {
        using var locked = store.FindLocked(nameOrId);
        return change(locked.Container);
    }

    private ContainerSnapshot WriteStatus(ContainerSnapshot container, ContainerStatus status)
    {
        var state = container.State with { Status = status };
        store.WriteState(container.Id, state);
        return container with { State = state };
    }

    private static ICgroup RunningGroup(ContainerSnapshot container) =>
        GroupOf(container.Id) ?? throw new EngineException("ContainerCgroupMissing", ErrorKind.InvalidOperation, container.Name,
            $"container {container.Name} is running but has no cgroup {Cgroups.PathFor(container.Id)}");

    private static EngineException NotInStatus(ContainerSnapshot container, string errorId, string why) =>
        new(errorId, ErrorKind.InvalidOperation, container.Name, $"container {container.Name} {why}");
}
