using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// One FROM and the instructions up to the next. <see cref="DependsOn"/> lists the earlier stages it needs:
/// its base when that is a stage, and every stage a COPY --from names.
/// </summary>
public sealed record BuildStage(
    int Index,
    string? Name,
    FromInstruction From,
    StageBase Base,
    IReadOnlyList<Instruction> Instructions,
    IReadOnlyList<int> DependsOn)
{
    /// <summary>The name docker uses in messages: the AS name, else the index.</summary>
    public string DisplayName => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
