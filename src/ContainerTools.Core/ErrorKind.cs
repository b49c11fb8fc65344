namespace ContainerTools.Core;

/// <summary>What went wrong, in words any front end can map to its own error model (PowerShell's ErrorCategory, an exit code).</summary>
public enum ErrorKind
{
    NotFound,
    InvalidArgument,
    InvalidData,
    AlreadyExists,
    InvalidOperation,
    ResourceBusy,
    ResourceUnavailable,
    PermissionDenied,
    SecurityError,
    ConnectionError,
    AuthenticationError,
    LimitsExceeded,
    NotImplemented,
}
