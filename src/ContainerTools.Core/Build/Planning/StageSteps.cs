namespace ContainerTools.Core.Build.Planning;

/// <summary>A stage evaluated: its steps in order and the image config it ends with.</summary>
public sealed record StageSteps(BuildStage Stage, IReadOnlyList<BuildStep> Steps, ImageSettings Final);
