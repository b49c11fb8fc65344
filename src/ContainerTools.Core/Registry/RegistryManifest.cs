namespace ContainerTools.Core.Registry;

/// <summary>A manifest or index exactly as the registry sent it: its bytes (whose digest names it), media type and digest.</summary>
public sealed record RegistryManifest(byte[] Content, string MediaType, string Digest);
