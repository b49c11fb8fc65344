using System.Text.Json.Serialization;

namespace ContainerTools.Core.Volumes;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VolumeRecord))]
internal sealed partial class VolumesJsonContext : JsonSerializerContext;
