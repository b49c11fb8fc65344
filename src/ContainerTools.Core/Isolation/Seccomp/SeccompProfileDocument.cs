using System.Text.Json.Serialization;

namespace ContainerTools.Core.Isolation.Seccomp;

// Docker's seccomp profile JSON, as written; SeccompProfileReader validates it into a SeccompProfile.
// Unknown members ("comment", Podman's "errno" names) are ignored, as Docker ignores them.

internal sealed class SeccompProfileDocument
{
    public string? DefaultAction { get; set; }
    public int? DefaultErrnoRet { get; set; }
    public List<string>? Architectures { get; set; }
    public List<SeccompArchMapDocument>? ArchMap { get; set; }
    public List<SeccompSyscallDocument>? Syscalls { get; set; }
    public List<string>? Flags { get; set; }
    public string? ListenerPath { get; set; }
}

internal sealed class SeccompArchMapDocument
{
    public string? Architecture { get; set; }
    public List<string>? SubArchitectures { get; set; }
}

internal sealed class SeccompSyscallDocument
{
    public List<string>? Names { get; set; }
    /// <summary>The single-name form of old profiles.</summary>
    public string? Name { get; set; }
    public string? Action { get; set; }
    public int? ErrnoRet { get; set; }
    public List<SeccompArgumentDocument>? Args { get; set; }
    public SeccompFilterDocument? Includes { get; set; }
    public SeccompFilterDocument? Excludes { get; set; }
}

internal sealed class SeccompArgumentDocument
{
    public uint? Index { get; set; }
    public ulong? Value { get; set; }
    public ulong? ValueTwo { get; set; }
    public string? Op { get; set; }
}

internal sealed class SeccompFilterDocument
{
    public List<string>? Caps { get; set; }
    public List<string>? Arches { get; set; }
    public string? MinKernel { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SeccompProfileDocument))]
internal sealed partial class SeccompJsonContext : JsonSerializerContext;
