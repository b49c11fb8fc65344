namespace ContainerTools.Core.Build.Planning;

/// <summary>What a stage starts from, or where a COPY --from reads: nothing, an earlier stage, or an image.</summary>
public abstract record StageBase;

/// <summary>FROM scratch: an empty root file system and an empty config.</summary>
public sealed record ScratchBase : StageBase
{
    public static ScratchBase Instance { get; } = new();
}

/// <summary>An earlier stage of the same Dockerfile, by index (0-based).</summary>
public sealed record StageReference(int Index) : StageBase;

/// <summary>An image reference as written (after substitution), resolved by the image store.</summary>
public sealed record ImageBase(string Reference) : StageBase;
