namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// Picks a container's slice of the delegated ids: the lowest run of <c>size</c> ids inside one delegated range
/// that overlaps no slice already in use. In-use slices come from the container records (not from a ledger of
/// their own), so a container removed, or a create killed before its record was written, frees its slice.
/// </summary>
public static class IdRangeAllocator
{
    /// <summary>The ids a container gets by default, as Podman's --userns=auto: 0-65535 inside.</summary>
    public const long DefaultSize = 65536;

    /// <param name="source">What the delegated ranges came from (the subuid/subgid file), named in errors.</param>
    public static IdRange Allocate(IReadOnlyList<IdRange> delegated, IEnumerable<IdRange> inUse, long size, string source)
    {
        var taken = inUse.ToList();
        foreach (var range in delegated.OrderBy(r => r.Start))
        {
            var candidate = new IdRange(range.Start, size);
            // Each step moves past one slice in use, so this ends after at most taken.Count steps.
            while (taken.FirstOrDefault(candidate.Overlaps) is { Count: > 0 } used)
                candidate = candidate with { Start = used.End };
            if (candidate.End <= range.End)
                return candidate;
        }
        bool tooSmall = delegated.All(r => r.Count < size);
        throw new EngineException(tooSmall ? "SubordinateIdsTooSmall" : "SubordinateIdsExhausted", ErrorKind.LimitsExceeded, source,
            tooSmall
                ? $"the ids delegated in {source} ({string.Join(", ", delegated)}) hold no run of {size}: a container needs {size}"
                : $"every run of {size} ids delegated in {source} ({string.Join(", ", delegated)}) is in use by other containers");
    }
}
