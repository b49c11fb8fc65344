using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A running container's root file system as its processes see it (overlay, volumes, /etc files), reached
/// from the host through its init's /proc/PID/root, and held as a <see cref="RootedPath"/> so every path
/// below it is resolved by the kernel inside it.
/// </summary>
public static class ContainerRoot
{
    public static RootedPath Open(ContainerSnapshot container)
    {
        var init = container.IsRunning ? container.State.Init : null;
        if (init is not null)
        {
            try
            {
                var root = RootedPath.Open($"/proc/{init.Pid}/root");
                // Opened first, checked after: a pid reused in between would fail this check.
                if (init.IsAlive)
                    return root;
                root.Dispose();
            }
            catch (Native.NativeCallException e) when (e.Errno == Native.Errno.ENOENT)
            {
                // Exited between reading its state and opening its root.
            }
        }
        throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, container.Name,
            $"container {container.Name} is not running");
    }
}
