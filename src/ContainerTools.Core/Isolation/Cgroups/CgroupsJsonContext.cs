using System.Text.Json.Serialization;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>Source-generated JSON for limits and usage (container records embed ResourceLimits).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResourceLimits))]
[JsonSerializable(typeof(ResourceUsage))]
public sealed partial class CgroupsJsonContext : JsonSerializerContext;
