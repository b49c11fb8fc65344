using System.Text.Json.Serialization;

namespace ContainerTools.Core.Images.Oci;

/// <summary>
/// Source-generated JSON for the image formats (no reflection: the core is AOT- and trim-safe). A member the
/// formats require ([JsonRequired]) or declare non-null may be neither missing nor null in a document: either is
/// the document's fault (InvalidData), not a NullReferenceException later (the generated code leaves a missing
/// list or object null, whatever its initializer says).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(IndexDocument))]
[JsonSerializable(typeof(LayoutMarker))]
[JsonSerializable(typeof(ConfigFile))]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
public sealed partial class OciJsonContext : JsonSerializerContext;
