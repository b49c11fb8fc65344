using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>An OCI bundle: its config.json, with root.path made absolute against the bundle (the spec allows it relative).</summary>
public static class OciBundle
{
    public static RuntimeSpec Load(string bundle)
    {
        string config = Path.Combine(bundle, "config.json");
        if (!File.Exists(config))
            throw new EngineException("BundleConfigMissing", ErrorKind.NotFound, config, $"open {config}: no such file or directory");
        RuntimeSpec spec;
        try
        {
            spec = RuntimeSpec.Load(config);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new EngineException("InvalidRuntimeConfig", ErrorKind.InvalidData, config, $"{config}: {e.Message}");
        }
        if (spec.Process.Args.Count == 0)
            throw new EngineException("InvalidRuntimeConfig", ErrorKind.InvalidData, config, "process.args must not be empty");
        string root = Path.GetFullPath(spec.Root.Path, bundle);
        if (!Directory.Exists(root))
            throw new EngineException("RootfsMissing", ErrorKind.NotFound, root, $"rootfs {root} does not exist");
        // Members a bundle may leave out read as null from JSON: give them the empty values the engine expects.
        var linux = spec.Linux ?? new();
        return spec with
        {
            Root = spec.Root with { Path = root },
            Annotations = spec.Annotations ?? [],
            Mounts = (spec.Mounts ?? []).Select(m => m with { Options = m.Options ?? [] }).ToList(),
            Linux = linux with { Namespaces = linux.Namespaces ?? [], MaskedPaths = linux.MaskedPaths ?? [], ReadonlyPaths = linux.ReadonlyPaths ?? [] },
            Process = Complete(spec.Process),
        };
    }

    /// <summary>A process (from config.json or exec's process.json) with the lists it left out empty, not null.</summary>
    public static SpecProcess Complete(SpecProcess process)
    {
        var caps = process.Capabilities;
        return process with
        {
            Args = process.Args ?? [],
            Env = process.Env ?? [],
            Cwd = process.Cwd ?? "/",
            User = process.User ?? new(),
            Rlimits = process.Rlimits ?? [],
            Capabilities = caps is null ? null : new SpecCapabilities
            {
                Bounding = caps.Bounding ?? [], Effective = caps.Effective ?? [], Inheritable = caps.Inheritable ?? [],
                Permitted = caps.Permitted ?? [], Ambient = caps.Ambient ?? [],
            },
        };
    }
}
