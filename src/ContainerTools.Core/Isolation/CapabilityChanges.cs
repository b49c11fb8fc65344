namespace ContainerTools.Core.Isolation;

/// <summary>
/// -CapabilityAdd / -CapabilityDrop / -Privileged applied to a baseline the way docker run applies
/// --cap-add / --cap-drop / --privileged, so the same command line gives the same set here.
/// </summary>
public static class CapabilityChanges
{
    private const string AllKeyword = "ALL";

    /// <summary>
    /// The resulting set, in capability-number order. Adding ALL grants everything but the dropped names;
    /// dropping ALL keeps only the added names; otherwise the baseline minus drops plus adds.
    /// Privileged grants every capability (and ignores add and drop, as Docker does).
    /// </summary>
    /// <param name="everything">What "every capability" means: by default every one the engine knows.</param>
    /// <exception cref="EngineException">UnknownCapability (InvalidArgument) for any name that is not a capability.</exception>
    public static IReadOnlyList<string> Apply(IEnumerable<string> baseline, IEnumerable<string>? add, IEnumerable<string>? drop, bool privileged = false, IReadOnlyList<string>? everything = null)
    {
        everything ??= Capabilities.All;
        var adds = Normalize(add);
        var drops = Normalize(drop);
        if (privileged)
            return everything;

        IEnumerable<string> result;
        if (adds.Contains(AllKeyword))
            result = everything.Where(c => !drops.Contains(c));
        else if (drops.Contains(AllKeyword))
            result = adds;
        else
            result = baseline.Select(Capabilities.Parse).Where(c => !drops.Contains(c)).Concat(adds);

        return [.. result.Distinct().OrderBy(Capabilities.Number)];
    }

    private static HashSet<string> Normalize(IEnumerable<string>? names) =>
        new((names ?? []).Select(n => string.Equals(n.Trim(), AllKeyword, StringComparison.OrdinalIgnoreCase) ? AllKeyword : Capabilities.Parse(n)));
}
