namespace ContainerTools.Core.Build.Execution;

/// <summary>A layer of an image being built: its blob (an uncompressed tar), diff ID, chain ID and blob size.</summary>
public sealed record BuiltLayer(string Digest, string DiffId, string ChainId, long Size, string MediaType);
