using System.Text.Json.Serialization;
using ContainerTools.Core.Oci;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Ctrun;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpecProcess))]
[JsonSerializable(typeof(SpecResources))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(List<OciState>))]
internal sealed partial class CtrunJsonContext : JsonSerializerContext;
