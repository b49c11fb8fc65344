namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>A run of host ids: <see cref="Count"/> ids from <see cref="Start"/> (a subuid/subgid entry, or a container's slice of one).</summary>
public readonly record struct IdRange(long Start, long Count)
{
    /// <summary>The first id after the range.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long End => Start + Count;

    public bool Overlaps(IdRange other) => Start < other.End && other.Start < End;

    public override string ToString() => $"{Start}-{End - 1}";
}
