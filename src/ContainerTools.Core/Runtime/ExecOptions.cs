namespace ContainerTools.Core.Runtime;

/// <summary>What the user asked for when running a command in a running container; null means "as the container does".</summary>
public sealed record ExecOptions
{
    public required IReadOnlyList<string> Command { get; init; }
    public string? User { get; init; }
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>Starts the command with /dev/null as its stdio and does not wait for it (`docker exec -d`).</summary>
    public bool Detach { get; init; }
    /// <summary>Keeps the command's stdin a pipe the caller writes with <see cref="ExecProcess.WriteInput"/> (`docker exec -i`); else it reads end of file at once.</summary>
    public bool Input { get; init; }
    /// <summary>Gives the command a pseudo-terminal in the container, to be connected to this terminal (`docker exec -it`).</summary>
    public HostTerminal? Terminal { get; init; }
}
