using System.Runtime.InteropServices;

namespace ContainerTools.Core.Runtime;

/// <summary>A container's init as its monitor drives it: held until released, its output read, its end awaited.</summary>
public interface IInitProcess
{
    int Pid { get; }
    /// <summary>The read ends of its stdout and stderr pipes.</summary>
    SafeHandle Output { get; }
    SafeHandle Error { get; }
    /// <summary>Completes with the exit code: 0-255, or 128+signal when a signal ended it.</summary>
    Task<int> Exited { get; }
    /// <summary>True when it was started inside its cgroup; else the monitor still has to move it there.</summary>
    bool BornInCgroup { get; }
    /// <summary>Runs work on the thread that started the init, while the init runs.</summary>
    InitThreadCalls ParentThread { get; }
    /// <summary>One byte on the init's stdin lets it go on; it then takes /dev/null as stdin.</summary>
    void Release();
    void Kill();
}
