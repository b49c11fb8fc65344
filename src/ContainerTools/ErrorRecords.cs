using System.Management.Automation;
using ContainerTools.Core;
using ContainerTools.Core.Native;

namespace ContainerTools;

/// <summary>Maps engine exceptions to ErrorRecords with a stable id, the right category and the target.</summary>
public static class ErrorRecords
{
    public static bool IsReportable(Exception e) =>
        e is EngineException or NativeCallException or IOException or UnauthorizedAccessException
            or System.Net.Http.HttpRequestException or TimeoutException;

    /// <summary>The record of a failure; <paramref name="target"/> (what the cmdlet was acting on) when the exception names none.</summary>
    public static ErrorRecord From(Exception e, object? target = null) => e switch
    {
        EngineException engine => new ErrorRecord(engine, engine.ErrorId, Category(engine.Kind), engine.Target ?? target),
        NativeCallException native => new ErrorRecord(native, "NativeCallFailed," + native.Call,
            native.Errno is Errno.EACCES or Errno.EPERM ? ErrorCategory.PermissionDenied : ErrorCategory.OperationStopped,
            native.Path ?? target),
        UnauthorizedAccessException denied => new ErrorRecord(denied, "AccessDenied", ErrorCategory.PermissionDenied, target),
        System.Net.Http.HttpRequestException http => new ErrorRecord(http, "RegistryConnectionFailed", ErrorCategory.ConnectionError, target),
        TimeoutException timeout => new ErrorRecord(timeout, "OperationTimedOut", ErrorCategory.OperationTimeout, target),
        _ => new ErrorRecord(e, "IOFailed", ErrorCategory.WriteError, target),
    };

    public static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.SecurityError => ErrorCategory.SecurityError,
        ErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        ErrorKind.AuthenticationError => ErrorCategory.AuthenticationError,
        ErrorKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
        ErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };
}
