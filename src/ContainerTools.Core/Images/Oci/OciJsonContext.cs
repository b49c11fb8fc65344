using System.Text.Json.Serialization;

namespace ContainerTools.Core.Images.Oci;

/// <summary>Source-generated JSON for the image formats (no reflection: the core is AOT- and trim-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(IndexDocument))]
[JsonSerializable(typeof(LayoutMarker))]
[JsonSerializable(typeof(ConfigFile))]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
public sealed partial class OciJsonContext : JsonSerializerContext;
