namespace ContainerTools.Core.Build.Syntax;

/// <summary>
/// One Dockerfile instruction as written: arguments are not yet substituted (that needs the ARG and ENV
/// scope of its stage, see Planning). <see cref="Line"/> is the first line of the instruction.
/// </summary>
public abstract record Instruction(int Line, string Original)
{
    /// <summary>The upper-case keyword, as docker history shows it.</summary>
    public abstract string Keyword { get; }
}

/// <summary>A command in shell form (one string run by the SHELL) or exec form (a JSON array).</summary>
public sealed record CommandLine(IReadOnlyList<string> Arguments, bool IsShellForm)
{
    public static CommandLine Shell(string command) => new([command], true);
    public static CommandLine Exec(IReadOnlyList<string> arguments) => new(arguments, false);

    /// <summary>The argv to execute: shell form runs through <paramref name="shell"/>.</summary>
    public IReadOnlyList<string> ToArgv(IReadOnlyList<string> shell) => IsShellForm ? [.. shell, Arguments[0]] : Arguments;
}

/// <summary>A key=value pair of ENV or LABEL, with quotes and variables still as written.</summary>
public sealed record KeyValue(string Key, string Value);

/// <summary>One name of an ARG instruction, with its default as written (null when it has none).</summary>
public sealed record ArgDeclaration(string Name, string? Default);

public sealed record FromInstruction(int Line, string Original, string Image, string? StageName, string? Platform)
    : Instruction(Line, Original)
{
    public override string Keyword => "FROM";
}

public sealed record RunInstruction(int Line, string Original, CommandLine Command, string? Network)
    : Instruction(Line, Original)
{
    public override string Keyword => "RUN";
}

public sealed record CmdInstruction(int Line, string Original, CommandLine Command) : Instruction(Line, Original)
{
    public override string Keyword => "CMD";
}

public sealed record EntrypointInstruction(int Line, string Original, CommandLine Command) : Instruction(Line, Original)
{
    public override string Keyword => "ENTRYPOINT";
}

public sealed record ShellInstruction(int Line, string Original, IReadOnlyList<string> Shell) : Instruction(Line, Original)
{
    public override string Keyword => "SHELL";
}

public sealed record EnvInstruction(int Line, string Original, IReadOnlyList<KeyValue> Variables) : Instruction(Line, Original)
{
    public override string Keyword => "ENV";
}

public sealed record LabelInstruction(int Line, string Original, IReadOnlyList<KeyValue> Labels) : Instruction(Line, Original)
{
    public override string Keyword => "LABEL";
}

public sealed record ArgInstruction(int Line, string Original, IReadOnlyList<ArgDeclaration> Arguments) : Instruction(Line, Original)
{
    public override string Keyword => "ARG";
}

public sealed record WorkdirInstruction(int Line, string Original, string Path) : Instruction(Line, Original)
{
    public override string Keyword => "WORKDIR";
}

public sealed record UserInstruction(int Line, string Original, string User) : Instruction(Line, Original)
{
    public override string Keyword => "USER";
}

/// <summary>COPY, or ADD (which also extracts local tar archives).</summary>
public sealed record CopyInstruction(
    int Line,
    string Original,
    bool IsAdd,
    IReadOnlyList<string> Sources,
    string Destination,
    string? From,
    string? Chown,
    string? Chmod,
    IReadOnlyList<string> Excludes) : Instruction(Line, Original)
{
    public override string Keyword => IsAdd ? "ADD" : "COPY";
}

public sealed record ExposeInstruction(int Line, string Original, IReadOnlyList<string> Ports) : Instruction(Line, Original)
{
    public override string Keyword => "EXPOSE";
}

public sealed record VolumeInstruction(int Line, string Original, IReadOnlyList<string> Paths) : Instruction(Line, Original)
{
    public override string Keyword => "VOLUME";
}

public sealed record StopSignalInstruction(int Line, string Original, string Signal) : Instruction(Line, Original)
{
    public override string Keyword => "STOPSIGNAL";
}

/// <summary>HEALTHCHECK NONE (<see cref="Check"/> null) or HEALTHCHECK [options] CMD ....</summary>
public sealed record HealthcheckInstruction(int Line, string Original, HealthcheckSettings? Check) : Instruction(Line, Original)
{
    public override string Keyword => "HEALTHCHECK";
}

/// <summary>ONBUILD: <see cref="Trigger"/> is the text after the keyword, kept in the image config.</summary>
public sealed record OnbuildInstruction(int Line, string Original, string Trigger, Instruction Parsed) : Instruction(Line, Original)
{
    public override string Keyword => "ONBUILD";
}

public sealed record MaintainerInstruction(int Line, string Original, string Name) : Instruction(Line, Original)
{
    public override string Keyword => "MAINTAINER";
}
