using System.Text.Json;
using System.Text.Json.Serialization;
using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Oci;

/// <summary>The OCI state document: what `ctrun state` prints and what hooks read on stdin.</summary>
public sealed record OciState(string OciVersion, string Id, string Status, int Pid, string Bundle, Dictionary<string, string> Annotations)
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Stopped = "stopped";

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, OciRuntimeJsonContext.Default.OciState);
}

/// <summary>What ctrun keeps per container in its state directory (root/id/container.json).</summary>
public sealed record OciContainer
{
    public required string Id { get; init; }
    public required string Bundle { get; init; }
    public required ProcessIdentity Init { get; init; }
    public required string CgroupPath { get; init; }
    public DateTime Created { get; init; }
    public Dictionary<string, string> Annotations { get; init; } = [];
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OciState))]
[JsonSerializable(typeof(OciContainer))]
[JsonSerializable(typeof(OciFeatures))]
internal sealed partial class OciRuntimeJsonContext : JsonSerializerContext;
