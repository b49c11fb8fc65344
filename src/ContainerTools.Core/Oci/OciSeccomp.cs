using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>linux.seccomp (the same model as Docker's profiles) through the engine's one profile reader and compiler.</summary>
public static class OciSeccomp
{
    /// <summary>The BPF program for the bundle's linux.seccomp, or null when it has none.</summary>
    /// <exception cref="EngineException">InvalidSeccompProfile naming what is wrong, before anything is made.</exception>
    public static byte[]? Compile(RuntimeSpec spec)
    {
        if (spec.Linux.Seccomp is not { } seccomp || seccomp.ValueKind == System.Text.Json.JsonValueKind.Null)
            return null;
        var profile = SeccompProfile.Parse(seccomp.GetRawText(), "linux.seccomp");
        return SeccompCompiler.Compile(profile, spec.Process.Capabilities?.Bounding ?? []);
    }
}
