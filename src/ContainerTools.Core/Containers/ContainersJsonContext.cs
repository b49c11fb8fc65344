using System.Text.Json.Serialization;

namespace ContainerTools.Core.Containers;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(ContainerHealth))]
internal sealed partial class ContainersJsonContext : JsonSerializerContext;
