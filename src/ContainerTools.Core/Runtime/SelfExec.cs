using System.Collections;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>A monitor becoming a fresh image of itself: execve of ctmon with new arguments and the same environment.</summary>
internal static class SelfExec
{
    /// <summary>
    /// Execve's /proc/self/exe (the very file this process runs, even if the module was replaced since) as
    /// `ctmon ARGUMENTS`. Returns only when execve failed, with its errno.
    /// </summary>
    public static unsafe int Run(IReadOnlyList<string> arguments)
    {
        var argv = (byte**)ProcessExec.Strings(["ctmon", .. arguments]);
        var envp = (byte**)ProcessExec.Strings(Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList());
        fixed (byte* self = "/proc/self/exe\0"u8)
            Linux.execve(self, argv, envp);
        return Errno.Last;
    }
}
