using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>The one place that turns a failed Linux call's return value into a NativeCallException.</summary>
public static class Errno
{
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int EPIPE = 32;
    public const int ENAMETOOLONG = 36;
    public const int ELOOP = 40;
    public const int EOPNOTSUPP = 95;
    public const int ENOTEMPTY = 39;
    public const int ENOSYS = 38;
    public const int ESRCH = 3;
    public const int EBUSY = 16;
    public const int EPERM = 1;
    public const int EACCES = 13;
    public const int ECHILD = 10;
    public const int ENXIO = 6;
    public const int ECONNRESET = 104;
    public const int ECONNREFUSED = 111;

    /// <summary>The errno of the last P/Invoke on this thread (needs SetLastError = true, as LibraryImport and Tmds.LibC set it).</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>Throws when <paramref name="result"/> is -1; returns it otherwise.</summary>
    public static int Check(int result, string call, string? path = null)
    {
        if (result == -1)
            throw new NativeCallException(call, path, Last);
        return result;
    }

    public static long Check(long result, string call, string? path = null)
    {
        if (result == -1)
            throw new NativeCallException(call, path, Last);
        return result;
    }

    /// <summary>Retries a call interrupted by a signal, then checks it.</summary>
    public static int Retry(Func<int> call, string name, string? path = null)
    {
        while (true)
        {
            int result = call();
            if (result != -1 || Last != EINTR)
                return Check(result, name, path);
        }
    }
}
