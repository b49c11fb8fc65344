using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Makes a container's OCI runtime configuration from its image and the user's options, with the defaults
/// Docker and Podman give: the usual mounts, masked and read-only paths, reduced capabilities, no_new_privs.
/// </summary>
public static class SpecBuilder
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <param name="mounts">The user's volumes, bind mounts and tmpfs, mounted after (so over) the defaults.</param>
    public static RuntimeSpec Build(ContainerImage image, ContainerOptions options, ContainerSecurity security, ContainerPaths paths, string hostname,
        IReadOnlyList<SpecMount> mounts)
    {
        var args = Arguments(image.Defaults, options);
        var (uid, gid, userName) = ParseUser(options.User ?? image.Defaults.User);
        var annotations = new Dictionary<string, string>
        {
            [SpecAnnotations.OverlayLower] = string.Join(':', image.LayerDirectories.Reverse()),
            [SpecAnnotations.OverlayUpper] = paths.Upper,
            [SpecAnnotations.OverlayWork] = paths.Work,
        };
        if (userName is not null)
            annotations[SpecAnnotations.UserName] = userName;
        if (options.Terminal)
            annotations[SpecAnnotations.ConsoleSocket] = paths.ConsoleSocket;
        var capabilities = security.Capabilities.ToList();
        return new RuntimeSpec
        {
            Process = new SpecProcess
            {
                Args = args,
                Env = Environment(image.Defaults, options),
                Cwd = WorkingDirectory(options.WorkingDirectory) ?? NonEmpty(image.Defaults.WorkingDir) ?? "/",
                User = new SpecUser { Uid = uid, Gid = gid },
                Capabilities = new SpecCapabilities
                {
                    // No inheritable set, as Docker since CVE-2022-24769: file capabilities cannot revive what was dropped.
                    Bounding = capabilities, Effective = capabilities, Permitted = capabilities,
                },
                NoNewPrivileges = security.NoNewPrivileges,
                Rlimits = security.Ulimits.Select(u => new SpecRlimit { Type = u.OciType, Soft = u.Soft, Hard = u.Hard }).ToList(),
                Terminal = options.Terminal,
            },
            Root = new SpecRoot { Path = paths.Rootfs, Readonly = options.ReadOnly },
            Hostname = hostname,
            Mounts = [.. DefaultMounts(paths, security.Privileged), .. mounts],
            Linux = new SpecLinux
            {
                Namespaces = new[] { "pid", "network", "ipc", "uts", "mount", "cgroup" }
                    .Where(t => t != "network" || options.Network?.SharesHostNetwork != true)
                    .Select(t => new SpecNamespace(t)).ToList(),
                // Privileged: /proc and /sys as the host has them, as docker run --privileged.
                MaskedPaths = security.Privileged ? [] : DefaultPaths.Masked.ToList(),
                ReadonlyPaths = security.Privileged ? [] : DefaultPaths.ReadOnly.ToList(),
                CgroupsPath = "containertools/" + paths.Id,
            },
            Annotations = annotations,
        };
    }

    /// <summary>Docker's rule: -Entrypoint replaces the image's entrypoint and drops its Cmd; -Command replaces Cmd.</summary>
    private static List<string> Arguments(ImageDefaults image, ContainerOptions options)
    {
        var entrypoint = options.Entrypoint ?? image.Entrypoint;
        var command = options.Command ?? (options.Entrypoint is null ? image.Cmd : []);
        var args = entrypoint.Concat(command).ToList();
        if (args.Count == 0)
            throw new EngineException("NoCommand", ErrorKind.InvalidArgument, null,
                "the image has no entrypoint or command and none was given: pass -Command");
        return args;
    }

    private static List<string> Environment(ImageDefaults image, ContainerOptions options)
    {
        var env = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        void Set(string entry)
        {
            string key = entry.Split('=', 2)[0];
            if (seen.TryGetValue(key, out int index))
                env[index] = entry;
            else
            {
                seen[key] = env.Count;
                env.Add(entry);
            }
        }
        Set(DefaultPath);
        foreach (var entry in image.Env)
            Set(entry);
        foreach (var (key, value) in options.Environment ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('='))
                throw new EngineException("InvalidEnvironmentName", ErrorKind.InvalidArgument, key, $"'{key}' is not an environment variable name");
            Set(key + "=" + value);
        }
        // No HOME here: the init sets the user's own from the container's /etc/passwd (see UserSwitch.WithHome).
        return env;
    }

    /// <summary>Docker's rule: the container would otherwise run in the directory of that name under / without a word.</summary>
    private static string? WorkingDirectory(string? requested)
    {
        if (NonEmpty(requested) is { } directory && !directory.StartsWith('/'))
            throw new EngineException("InvalidWorkingDirectory", ErrorKind.InvalidArgument, directory,
                $"the working directory '{directory}' is not an absolute path");
        return NonEmpty(requested);
    }

    /// <summary>uid[:gid] numbers go in the spec; a name is left for the init to look up in the container's /etc/passwd.</summary>
    internal static (uint Uid, uint Gid, string? Name) ParseUser(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
            return (0, 0, null);
        var parts = user.Split(':', 2);
        // Docker's range: beyond it a number is no name either, and 4294967295 is the kernel's "no id" (setgroups refuses it).
        if (parts.Any(p => p.Length > 0 && p.All(char.IsAsciiDigit) && !int.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out _)))
            throw new EngineException("InvalidUser", ErrorKind.InvalidArgument, user,
                $"'{user}': uids and gids must be in the range 0-{int.MaxValue}");
        if (uint.TryParse(parts[0], out uint uid) && (parts.Length == 1 || uint.TryParse(parts[1], out _)))
            return (uid, parts.Length == 2 ? uint.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : uid, null);
        if (parts.Any(p => p.Length == 0 || p.Contains('/')))
            throw new EngineException("InvalidUser", ErrorKind.InvalidArgument, user, $"'{user}' is not uid[:gid] or name[:group]");
        return (0, 0, user);
    }

    private static List<SpecMount> DefaultMounts(ContainerPaths paths, bool privileged) =>
    [
        new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
        new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
        new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"] },
        new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
        new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
        new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", privileged ? "rw" : "ro"] },
        new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"] },
        new() { Destination = "/etc/hostname", Type = "bind", Source = paths.Hostname, Options = ["bind", "rprivate"] },
        new() { Destination = "/etc/hosts", Type = "bind", Source = paths.Hosts, Options = ["bind", "rprivate"] },
        new() { Destination = "/etc/resolv.conf", Type = "bind", Source = paths.ResolvConf, Options = ["bind", "rprivate"] },
    ];

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
