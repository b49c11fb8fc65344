using System.Security.Cryptography;
using System.Text;
using ContainerTools.Core.Build.Planning;

namespace ContainerTools.Core.Build.Cache;

/// <summary>
/// What identifies a step's result: a hash chained from the stage's base through every step before it, so a
/// key covers the parent (its files and its config), the step's own substituted instruction (for RUN also the
/// ARG values it sees) and, for COPY/ADD, the digest of the content it copies. Equal keys, equal results:
/// a rebuild with nothing changed finds every key; a changed file changes its COPY's key and every later one.
/// </summary>
public readonly record struct CacheKey(string Value)
{
    /// <summary>Bumped whenever what a key covers changes, so old cache entries are never wrongly reused.</summary>
    private const string Scheme = "containertools-build-cache/1";

    public static CacheKey Scratch { get; } = Of("scratch");

    /// <summary>The key of a stage whose base is an image, from the image's config digest.</summary>
    public static CacheKey ForImage(string configDigest) => Of("image " + configDigest);

    /// <summary>
    /// The key after <paramref name="step"/>. <paramref name="contentDigest"/> is required for COPY/ADD: the
    /// <see cref="Context.ContentDigest"/> of its context sources, or the key/digest of the stage/image it reads.
    /// </summary>
    public CacheKey Next(BuildStep step, string? contentDigest = null)
    {
        if (step is CopyStep && contentDigest is null)
            throw new ArgumentException("a COPY or ADD step's key needs the digest of what it copies", nameof(contentDigest));
        return Of($"{Value}\n{step.CreatedBy}\n{contentDigest}");
    }

    public override string ToString() => Value;

    private static CacheKey Of(string text) =>
        new("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Scheme + "\n" + text))));
}
