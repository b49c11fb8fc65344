using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>Sets the container's rlimits in its init, before capabilities are dropped (raising a hard limit needs CAP_SYS_RESOURCE).</summary>
public static class Rlimits
{
    public static unsafe void Apply(IEnumerable<Ulimit> limits)
    {
        foreach (var limit in limits)
        {
            var value = new Linux.Rlimit { Current = limit.Soft, Maximum = limit.Hard };
            Errno.Check(Linux.setrlimit(limit.Resource, &value), "setrlimit", limit.OciType);
        }
    }
}
