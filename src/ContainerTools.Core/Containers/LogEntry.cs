namespace ContainerTools.Core.Containers;

/// <summary>One line of ctr.log (JSON lines): when, which stream, the text without its newline.</summary>
public sealed record LogEntry(DateTime Time, string Stream, string Log)
{
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";
}
