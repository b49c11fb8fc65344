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

    public static ErrorRecord From(Exception e) => e switch
    {
        EngineException engine => new ErrorRecord(engine, engine.ErrorId, Category(engine.Kind), engine.Target),
        NativeCallException native => new ErrorRecord(native, "NativeCallFailed," + native.Call,
            native.Errno is Errno.EACCES or Errno.EPERM ? ErrorCategory.PermissionDenied : ErrorCategory.OperationStopped,
            native.Path),
        UnauthorizedAccessException denied => new ErrorRecord(denied, "AccessDenied", ErrorCategory.PermissionDenied, null),
        System.Net.Http.HttpRequestException http => new ErrorRecord(http, "RegistryConnectionFailed", ErrorCategory.ConnectionError, null),
        TimeoutException timeout => new ErrorRecord(timeout, "OperationTimedOut", ErrorCategory.OperationTimeout, null),
        _ => new ErrorRecord(e, "IOFailed", ErrorCategory.WriteError, null),
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
