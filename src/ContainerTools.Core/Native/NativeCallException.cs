using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>A Linux call that failed: names the call, the path it acted on (if any) and the errno.</summary>
public sealed class NativeCallException : IOException
{
    public NativeCallException(string call, string? path, int errno)
        : base(Describe(call, path, errno))
    {
        Call = call;
        Path = path;
        Errno = errno;
        HResult = errno;
    }

    public string Call { get; }
    public string? Path { get; }
    public int Errno { get; }

    private static string Describe(string call, string? path, int errno)
    {
        string reason = Marshal.GetPInvokeErrorMessage(errno);
        return path is null
            ? $"{call} failed: {reason} (errno {errno})"
            : $"{call}({path}) failed: {reason} (errno {errno})";
    }
}
