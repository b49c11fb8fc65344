namespace ContainerTools.Core;

/// <summary>
/// An expected failure of an engine operation: bad input, a missing object, a conflict. Carries a stable
/// error id (becomes the FullyQualifiedErrorId), a kind (becomes the ErrorCategory) and the target.
/// Anything else thrown by the engine is a bug or an environment failure (a NativeCallException).
/// </summary>
public class EngineException : Exception
{
    public EngineException(string errorId, ErrorKind kind, object? target, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }
    public ErrorKind Kind { get; }
    public object? Target { get; }
}
