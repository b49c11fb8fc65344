using System.Diagnostics;
using System.Globalization;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Oci;

/// <summary>
/// `create`: compiles the seccomp filter, starts the init in its namespaces (it inherits our stdio; with a
/// console socket it makes its own pty once its devpts is mounted), places it in its cgroup (limits and device rules), runs the prestart and createRuntime
/// hooks while it waits before pivot_root, and returns when it is ready and blocked on exec.fifo. The init is not our monitor's: when we exit it is the caller's
/// (conmon is a subreaper), as runc leaves it. A failure at any step leaves nothing behind.
/// </summary>
public sealed class OciCreate(OciStateDirectory states)
{
    /// <summary>The container, and its init's exit code once it ends (while this process lives: `run` waits on it).</summary>
    public (OciContainer Container, Task<int> Exited) Create(OciCreateOptions options)
    {
        using var own = states.Claim(options.Id);
        string directory = states.DirectoryOf(options.Id);
        string? cgroupPath = null;
        ICgroup? cgroup = null;
        (int Pid, Task<int> Exited)? init = null;
        try
        {
            string bundle = Path.GetFullPath(options.Bundle);
            var spec = OciBundle.Load(bundle);
            var namespaces = OciNamespaces.From(spec.Linux);
            if (spec.Process.Terminal && options.ConsoleSocket is null)
                throw new EngineException("ConsoleSocketRequired", ErrorKind.InvalidArgument, options.Id, "process.terminal needs --console-socket");
            cgroupPath = CgroupPathOf(options.Id, spec.Linux.CgroupsPath);
            foreach (var device in spec.Linux.Devices ?? [])
                OciDevices.Validate(device);
            // Compiled here, where libseccomp is: a bad profile fails before anything starts.
            byte[]? seccomp = OciSeccomp.Compile(spec);
            Errno.Check(Linux.mkfifo(states.FifoOf(options.Id), 0x180 /* 0600 */), "mkfifo", states.FifoOf(options.Id));
            if (seccomp is not null)
                AtomicFile.WriteAllBytes(Path.Combine(directory, SeccompFilterFile.Name), seccomp);
            if (namespaces.NewUser)
                OciIdMappings.GiveToRoot(spec.Linux, states.FifoOf(options.Id), Path.Combine(directory, SeccompFilterFile.Name));
            // Device access is the spec's to give (OciDeviceRules): open to all until it says otherwise, as with runc.
            cgroup = Cgroups.Detect().Create(cgroupPath, OciResources.ToLimits(spec.Linux.Resources), allDevices: true);
            OciDeviceRules.Apply(cgroupPath, spec.Linux.Resources?.Devices);
            var (sync, childEnd) = SyncChannel.Create();
            using (sync)
            {
                init = StartInit(options, bundle, namespaces, spec, childEnd);
                int pid = init.Value.Pid;
                cgroup.AddProcess(pid);
                OciDeviceRules.AddProcess(cgroupPath, pid);
                if (spec.Process.OomScoreAdj is int adj)
                    File.WriteAllText($"/proc/{pid}/oom_score_adj", adj.ToString(CultureInfo.InvariantCulture));
                sync.Send(SyncChannel.Go);
                sync.Expect(SyncChannel.Mounted);
                var creating = new OciState(spec.OciVersion, options.Id, OciState.Creating, pid, bundle, spec.Annotations);
                OciHooks.Run("prestart", spec.Hooks?.Prestart, creating);
                OciHooks.Run("createRuntime", spec.Hooks?.CreateRuntime, creating);
                sync.Send(SyncChannel.Go);
                sync.Expect(SyncChannel.Ready);
            }
            var container = new OciContainer
            {
                Id = options.Id, Bundle = bundle, CgroupPath = cgroupPath, Created = DateTime.UtcNow, Annotations = spec.Annotations,
                Init = ProcessIdentity.Of(init.Value.Pid) ?? throw new EngineException("ContainerInitFailed", ErrorKind.InvalidOperation, options.Id, "the container's init exited during set-up"),
            };
            states.Write(container);
            if (options.PidFile is not null)
                AtomicFile.WriteAllText(Path.GetFullPath(options.PidFile), init.Value.Pid.ToString(CultureInfo.InvariantCulture));
            return (container, init.Value.Exited);
        }
        catch
        {
            if (init is { } started)
            {
                Linux.kill(started.Pid, Signals.SIGKILL);
                started.Exited.Wait();
            }
            cgroup?.Delete();
            if (cgroupPath is not null)
                OciDeviceRules.Remove(cgroupPath);
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The shared level below which relative cgroupsPaths and containers without one are placed.</summary>
    public const string CgroupParent = "ctrun";

    /// <summary>
    /// OCI cgroupsPath: absolute is below the hierarchy roots, relative is below ours ("ctrun"); none is
    /// ctrun/ID. systemd's "slice:prefix:name" form needs --systemd-cgroup, which this runtime refuses.
    /// </summary>
    public static string CgroupPathOf(string id, string? cgroupsPath)
    {
        if (string.IsNullOrEmpty(cgroupsPath))
            return CgroupParent + "/" + id;
        if (cgroupsPath.Contains(':', StringComparison.Ordinal))
            throw new EngineException("SystemdCgroupUnsupported", ErrorKind.NotImplemented, cgroupsPath,
                $"cgroupsPath \"{cgroupsPath}\" is a systemd slice: this runtime manages cgroupfs paths only");
        if (cgroupsPath.Split('/').Any(part => part == ".."))
            throw new EngineException("InvalidCgroupsPath", ErrorKind.InvalidArgument, cgroupsPath, $"cgroupsPath \"{cgroupsPath}\" must not contain \"..\"");
        return cgroupsPath.StartsWith('/') ? cgroupsPath.TrimStart('/') : CgroupParent + "/" + cgroupsPath;
    }

    private (int Pid, Task<int> Exited) StartInit(OciCreateOptions options, string bundle, OciNamespaces namespaces, RuntimeSpec spec, int childEnd)
    {
        // The init inherits it: once it runs, this one may go.
        using var executable = ContainerSideExecutable.For(options.InitExecutable, spec.Process.Capabilities);
        var start = new ProcessStartInfo(executable.Path)
        {
            ArgumentList =
            {
                "init", bundle, options.Id, states.DirectoryOf(options.Id), childEnd.ToString(CultureInfo.InvariantCulture),
                options.PreserveFds.ToString(CultureInfo.InvariantCulture), options.ConsoleSocket ?? "",
            },
        };
        SignalHandling.EnsureInitialised();
        var join = namespaces.Open();
        try
        {
            // The one descriptor the init inherits on purpose; it marks it close-on-exec itself.
            Errno.Check(Linux.fcntl(childEnd, Linux.F_SETFD, 0), "fcntl", "sync channel");
            if (namespaces.NewUser || namespaces.UserPath is not null)
                return OciUserNamespaceInit.Start(start.FileName, [.. start.ArgumentList], namespaces, spec.Linux, join);
            var init = InitProcess.Start(start, namespaces.Unshare, join, redirect: false);
            return (init.Pid, init.Exited);
        }
        finally
        {
            Linux.close(childEnd);
            foreach (var (fd, _) in join)
                Linux.close(fd);
        }
    }
}
