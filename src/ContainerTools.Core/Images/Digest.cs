using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ContainerTools.Core.Images;

/// <summary>Content digests as OCI writes them: "sha256:" and 64 lower-case hex digits (the only algorithm we store).</summary>
public static partial class Digest
{
    public const string Sha256Prefix = "sha256:";

    public static bool IsValid(string? digest) => digest is not null && Sha256().IsMatch(digest);

    /// <summary>The hex part, after checking the digest is one we can store (a path component: never trust it unchecked).</summary>
    public static string Hex(string digest) => IsValid(digest)
        ? digest[Sha256Prefix.Length..]
        : throw new EngineException("InvalidDigest", ErrorKind.InvalidData, digest, $"'{digest}' is not a sha256 digest.");

    public static string Of(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    public static string FromHash(ReadOnlySpan<byte> hash) => Sha256Prefix + Convert.ToHexStringLower(hash);

    /// <summary>The first 12 hex digits, as `docker images` shows an id.</summary>
    public static string Short(string digest) => digest.StartsWith(Sha256Prefix, StringComparison.Ordinal)
        ? digest.Substring(Sha256Prefix.Length, Math.Min(12, digest.Length - Sha256Prefix.Length)) : digest;

    /// <summary>The chain ID of a layer stack (OCI image spec): sha256 of "parentChain diffId", bottom up.</summary>
    public static string Chain(string? parentChainId, string diffId) =>
        parentChainId is null ? diffId : Of(System.Text.Encoding.ASCII.GetBytes(parentChainId + " " + diffId));

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex Sha256();
}
