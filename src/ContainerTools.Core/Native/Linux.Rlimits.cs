using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Resource limits (setrlimit; Tmds.LibC lacks it).</summary>
public static unsafe partial class Linux
{
    /// <summary>struct rlimit.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setrlimit(int resource, Rlimit* limit);
}
