namespace ContainerTools.Core.Build.Syntax;

/// <summary>The errors a Dockerfile can have, each naming the file and the line, as one EngineException.</summary>
public static class DockerfileErrors
{
    public const string SyntaxErrorId = "DockerfileSyntaxError";
    public const string UnknownInstructionId = "DockerfileUnknownInstruction";

    public static EngineException Syntax(string source, int line, string message) =>
        new(SyntaxErrorId, ErrorKind.InvalidData, $"{source}:{line}", $"{source} line {line}: {message}");

    public static EngineException UnknownInstruction(string source, int line, string keyword) =>
        new(UnknownInstructionId, ErrorKind.InvalidData, $"{source}:{line}",
            $"{source} line {line}: unknown instruction: {keyword}");
}
