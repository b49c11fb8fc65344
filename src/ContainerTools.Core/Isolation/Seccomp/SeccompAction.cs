namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>What the kernel does when a filter rule matches (Docker's SCMP_ACT_* names).</summary>
public enum SeccompAction
{
    /// <summary>SCMP_ACT_KILL / SCMP_ACT_KILL_THREAD.</summary>
    KillThread,
    /// <summary>SCMP_ACT_KILL_PROCESS.</summary>
    KillProcess,
    /// <summary>SCMP_ACT_TRAP: SIGSYS.</summary>
    Trap,
    /// <summary>SCMP_ACT_ERRNO: the call fails with the rule's errno (EPERM when none is given).</summary>
    Errno,
    /// <summary>SCMP_ACT_TRACE: notify a ptrace tracer with the rule's value.</summary>
    Trace,
    /// <summary>SCMP_ACT_ALLOW.</summary>
    Allow,
    /// <summary>SCMP_ACT_LOG: allow and log.</summary>
    Log,
}
