using System.Text.Json;
using ContainerTools.Core.Isolation;

namespace ContainerTools.Core.Oci;

/// <summary>`ctrun features`: what this runtime implements, in the OCI features document's shape.</summary>
public sealed record OciFeatures(string OciVersionMin, string OciVersionMax, List<string> Hooks, List<string> MountOptions, OciLinuxFeatures Linux)
{
    public static OciFeatures Current { get; } = new("1.0.0", "1.2.0",
        ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"],
        ["ro", "rw", "bind", "rbind", "nosuid", "nodev", "noexec", "relatime", "noatime", "private", "rprivate"],
        new OciLinuxFeatures(["cgroup", "ipc", "mount", "network", "pid", "user", "uts"], Capabilities.All.ToList()));

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, OciRuntimeJsonContext.Default.OciFeatures);
}

public sealed record OciLinuxFeatures(List<string> Namespaces, List<string> Capabilities);
