namespace ContainerTools.Core.Build.Syntax;

/// <summary>A parsed Dockerfile: its escape character and its instructions in order.</summary>
public sealed record Dockerfile(string Source, char Escape, IReadOnlyList<Instruction> Instructions)
{
    /// <summary>Parses <paramref name="text"/>; errors are EngineExceptions naming <paramref name="source"/> and the line.</summary>
    public static Dockerfile Parse(string text, string source = "Dockerfile")
    {
        var (escape, lines) = DockerfileReader.Read(text, source);
        var parser = new InstructionParser(source, escape);
        return new Dockerfile(source, escape, lines.Select(parser.Parse).ToList());
    }
}
