using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The OCI runtime configuration (config.json), the contract between the engine and the init: the subset
/// of the OCI runtime spec this engine honours, with the spec's own names, so an OCI bundle reads as is.
/// </summary>
public sealed record RuntimeSpec
{
    public string OciVersion { get; init; } = "1.2.0";
    public required SpecProcess Process { get; init; }
    public required SpecRoot Root { get; init; }
    public string? Hostname { get; init; }
    public List<SpecMount> Mounts { get; init; } = [];
    public SpecLinux Linux { get; init; } = new();
    public Dictionary<string, string> Annotations { get; init; } = [];
    public SpecHooks? Hooks { get; init; }

    public static RuntimeSpec Load(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), RuntimeJsonContext.Default.RuntimeSpec)
        ?? throw new EngineException("InvalidRuntimeConfig", ErrorKind.InvalidData, path, $"{path} holds no runtime configuration");

    /// <summary>
    /// Builds the JSON metadata ahead of the first <see cref="Load"/> (~1.7 ms of one-time work in a fresh NativeAOT
    /// process): a spare init does it before it has a bundle.
    /// </summary>
    public static void WarmJson()
    {
        var sample = new RuntimeSpec
        {
            Process = new SpecProcess { Args = ["true"], Rlimits = [new SpecRlimit { Type = "RLIMIT_NOFILE" }], Capabilities = new SpecCapabilities() },
            Root = new SpecRoot { Path = "rootfs" },
            Mounts = [new SpecMount { Destination = "/proc", Type = "proc", Options = ["nosuid"] }],
            Linux = new SpecLinux { Namespaces = [new SpecNamespace("pid")], MaskedPaths = ["/proc/kcore"], Sysctl = [] },
        };
        JsonSerializer.Deserialize(sample.ToJson(), RuntimeJsonContext.Default.RuntimeSpec);
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RuntimeJsonContext.Default.RuntimeSpec);
}

public sealed record SpecProcess
{
    public required List<string> Args { get; init; }
    public List<string> Env { get; init; } = [];
    public string Cwd { get; init; } = "/";
    public SpecUser User { get; init; } = new();
    public SpecCapabilities? Capabilities { get; init; }
    public bool NoNewPrivileges { get; init; }
    public List<SpecRlimit> Rlimits { get; init; } = [];
    public bool Terminal { get; init; }
    public int? OomScoreAdj { get; init; }
}

/// <summary>One process.rlimits entry: "RLIMIT_NOFILE" and its soft and hard values.</summary>
public sealed record SpecRlimit
{
    public required string Type { get; init; }
    public ulong Hard { get; init; }
    public ulong Soft { get; init; }
}

public sealed record SpecUser
{
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public List<uint>? AdditionalGids { get; init; }
}

public sealed record SpecCapabilities
{
    public List<string> Bounding { get; init; } = [];
    public List<string> Effective { get; init; } = [];
    public List<string> Inheritable { get; init; } = [];
    public List<string> Permitted { get; init; } = [];
    public List<string> Ambient { get; init; } = [];
}

public sealed record SpecRoot
{
    public required string Path { get; init; }
    public bool Readonly { get; init; }
}

public sealed record SpecMount
{
    public required string Destination { get; init; }
    public string? Type { get; init; }
    public string? Source { get; init; }
    public List<string> Options { get; init; } = [];
}

public sealed record SpecLinux
{
    public List<SpecNamespace> Namespaces { get; init; } = [];
    public List<string> MaskedPaths { get; init; } = [];
    public List<string> ReadonlyPaths { get; init; } = [];
    public string? CgroupsPath { get; init; }
    public Dictionary<string, string>? Sysctl { get; init; }
    public SpecResources? Resources { get; init; }
    /// <summary>With a "user" namespace: its maps, written by the monitor from outside.</summary>
    public List<Isolation.UserNamespaces.IdMapping>? UidMappings { get; init; }
    public List<Isolation.UserNamespaces.IdMapping>? GidMappings { get; init; }
    /// <summary>linux.seccomp as written (Docker's profile shape): SeccompProfile.Parse reads it.</summary>
    public JsonElement? Seccomp { get; init; }
    /// <summary>linux.devices: nodes the runtime creates in the container's /dev.</summary>
    public List<SpecDevice>? Devices { get; init; }
}

/// <summary>One linux.devices entry: a node of type c, b, u (unbuffered char) or p (FIFO).</summary>
public sealed record SpecDevice
{
    public required string Path { get; init; }
    public required string Type { get; init; }
    public long Major { get; init; }
    public long Minor { get; init; }
    public uint? FileMode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
}

public sealed record SpecNamespace(string Type, string? Path = null);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(SpecProcess))]
[JsonSerializable(typeof(SpecResources))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
