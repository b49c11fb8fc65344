using System.Text.Json.Serialization;

namespace ContainerTools.Core.Images.Oci;

/// <summary>An image manifest (OCI v1 or Docker schema 2: the same shape).</summary>
public sealed record Manifest
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType")] public string? MediaType { get; init; }
    [JsonPropertyName("config")] public Descriptor? Config { get; init; }
    [JsonPropertyName("layers")] public List<Descriptor>? Layers { get; init; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>An OCI image index (or Docker manifest list), also the shape of an image layout's index.json.</summary>
public sealed record IndexDocument
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType")] public string? MediaType { get; init; }
    [JsonPropertyName("manifests"), JsonRequired] public List<Descriptor> Manifests { get; init; } = [];
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>The oci-layout file at the top of an image layout.</summary>
public sealed record LayoutMarker
{
    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; init; } = "1.0.0";
}

/// <summary>One image of a docker-archive's manifest.json (docker save / podman save).</summary>
public sealed record DockerArchiveEntry
{
    [JsonPropertyName("Config"), JsonRequired] public string Config { get; init; } = "";
    [JsonPropertyName("RepoTags")] public List<string>? RepoTags { get; init; }
    [JsonPropertyName("Layers"), JsonRequired] public List<string> Layers { get; init; } = [];
}
