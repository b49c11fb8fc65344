namespace ContainerTools.Core.Runtime;

/// <summary>The command could not be started in the container; the exit code is what $LASTEXITCODE gets.</summary>
public sealed class ExecStartException(ExecFailure failure, string container)
    : EngineException(failure.ErrorId, failure.Kind, container, $"cannot start the command in {container}: {failure.Message}")
{
    public int ExitCode { get; } = failure.ExitCode;
}
