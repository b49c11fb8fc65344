namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>One container's group of processes, on every hierarchy the driver uses.</summary>
public interface ICgroup
{
    string RelativePath { get; }

    /// <summary>Moves a process (all its threads) into the group; its future children are born there.</summary>
    void AddProcess(int pid);

    /// <summary>
    /// Moves the calling thread alone into the group until the result is disposed, so a process it starts
    /// meanwhile is born there, far cheaper than <see cref="AddProcess"/> afterwards; null when the driver
    /// cannot (the caller then uses AddProcess).
    /// </summary>
    IDisposable? EnterThisThread();

    /// <summary>
    /// The files a thread of another process writes "0" into to move itself alone into the group (v1: each
    /// hierarchy's tasks), as a spare init does once it has a container; null when the driver cannot.
    /// </summary>
    IReadOnlyList<string>? ThreadEntries { get; }

    /// <summary>Validates and applies limits live. Values left null are not touched.</summary>
    void Update(ResourceLimits limits);

    ResourceUsage ReadUsage();

    /// <summary>Stops every process of the group and returns once the kernel reports them all frozen.</summary>
    void Freeze();

    void Thaw();

    bool IsFrozen { get; }

    IReadOnlyList<int> ProcessIds();

    /// <summary>True once the kernel's OOM killer has killed a process of this group.</summary>
    bool OomKilled { get; }

    /// <summary>SIGKILLs every process of the group, frozen or not, without letting one fork away.</summary>
    void KillAll();

    /// <summary>Kills what is left, waits for the group to be empty and removes it on every hierarchy; its parents
    /// (the shared "containertools" level) stay for the next container. Deleting a group that is gone does nothing.</summary>
    void Delete();
}
