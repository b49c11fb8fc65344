namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// One way the kernel exposes cgroups: v1 (a hierarchy per controller) or v2 (one unified hierarchy).
/// Paths are relative to the hierarchy roots, such as "containertools/&lt;container id&gt;".
/// </summary>
public interface ICgroupDriver
{
    /// <summary>"v1" or "v2".</summary>
    string Version { get; }

    /// <summary>
    /// Validates <paramref name="limits"/> (an EngineException before anything is made), then creates the group
    /// (or reuses it, when it exists) and applies them, with the standard devices alone open to it unless
    /// <paramref name="allDevices"/> (<see cref="DeviceAccess"/>; v1). A failure part way removes what this call created.
    /// </summary>
    ICgroup Create(string relativePath, ResourceLimits limits, bool allDevices = false);

    /// <summary>Whether <see cref="Rename"/> can work here (v1; cgroup2 has no rename).</summary>
    bool RenamesGroups { get; }

    /// <summary>
    /// Validates <paramref name="limits"/>, gives the existing group <paramref name="from"/> the path
    /// <paramref name="to"/> (same parent) and applies them and its device access: a group made ahead becomes a container's without a
    /// mkdir. Null, with nothing changed, when the driver cannot rename or <paramref name="from"/> is not whole.
    /// </summary>
    ICgroup? Rename(string from, string to, ResourceLimits limits, bool allDevices = false);

    /// <summary>The existing group at <paramref name="relativePath"/>, or null when there is none.</summary>
    ICgroup? Open(string relativePath);
}
