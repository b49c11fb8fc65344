using ContainerTools.Core.Build.Context;
using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// One instruction with its arguments substituted, ready to execute: <see cref="CreatedBy"/> is its history
/// line (also what the cache key hashes), <see cref="Settings"/> the image config after it.
/// </summary>
public abstract record BuildStep(Instruction Instruction, string CreatedBy, ImageSettings Settings)
{
    /// <summary>False for steps that only change the config (docker history's empty_layer).</summary>
    public virtual bool ChangesFiles => false;
}

/// <summary>ENV, LABEL, ARG, USER, CMD, ...: only the config changes.</summary>
public sealed record ConfigStep(Instruction Instruction, string CreatedBy, ImageSettings Settings)
    : BuildStep(Instruction, CreatedBy, Settings);

/// <summary>WORKDIR: creates the directory (owned by the current USER) when it is missing.</summary>
public sealed record WorkdirStep(Instruction Instruction, string CreatedBy, ImageSettings Settings)
    : BuildStep(Instruction, CreatedBy, Settings)
{
    public override bool ChangesFiles => true;
}

/// <summary>RUN: <see cref="Argv"/> in a container of the current file system, as Settings.User in Settings.WorkingDir.</summary>
public sealed record RunStep(
    Instruction Instruction,
    string CreatedBy,
    ImageSettings Settings,
    IReadOnlyList<string> Argv,
    IReadOnlyList<string> Environment,
    string? Network) : BuildStep(Instruction, CreatedBy, Settings)
{
    public override bool ChangesFiles => true;
}

/// <summary>
/// COPY or ADD: <see cref="Sources"/> relative to the build context (<see cref="From"/> null) or to the root of
/// a stage or image; <see cref="Destination"/> is absolute (a trailing slash kept: it means "into a directory").
/// </summary>
public sealed record CopyStep(
    CopyInstruction Copy,
    string CreatedBy,
    ImageSettings Settings,
    IReadOnlyList<string> Sources,
    string Destination,
    StageBase? From,
    string? Chown,
    int? Chmod,
    DockerIgnore Excludes) : BuildStep(Copy, CreatedBy, Settings)
{
    public override bool ChangesFiles => true;
}
