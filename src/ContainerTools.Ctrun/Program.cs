using System.Globalization;
using ContainerTools.Core;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Oci;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Ctrun;

/// <summary>
/// ctrun: the OCI runtime command line over ContainerTools.Core, taking runc's commands and flags so podman
/// (through conmon) and the OCI test suites can drive it. `ctrun init` and `ctrun exec-join` are the
/// container-side halves it starts itself.
/// </summary>
public static class Program
{
    private static readonly string[] GlobalValued = ["root", "log", "log-format", "criu", "rootless"];
    private static readonly string[] GlobalSwitches = ["systemd-cgroup", "debug", "help|h", "version|v"];

    public static int Main(string[] args)
    {
        // The container-side halves: their own error channels, no global flags.
        if (args.Length == 7 && args[0] == "init")
            return BundleInit.Run(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args[6]);
        if (args.Length == 2 && args[0] == "exec-join")
            return ExecJoin.Run(args[1]);
        // exec-join re-entered inside the container's user namespace (as ctmon; a JSON request is no container id).
        if (args.Length == 3 && args[0] == "exec" && args[2] == UserNamespaceExec.Inside)
            return ExecJoin.Run(args[1], insideUserNamespace: true);

        var log = new ErrorLog(null, false);
        bool debug = false;
        try
        {
            var global = Arguments.Parse(args, GlobalValued, GlobalSwitches, stopAtFirstPositional: true);
            log = new ErrorLog(global.Value("log"), global.Value("log-format") == "json");
            debug = global.Has("debug");
            if (global.Has("version"))
                return Commands.Version();
            if (global.Has("help") || global.Positionals.Count == 0)
                return Commands.Help();
            if (global.Has("systemd-cgroup"))
                throw new UsageException("--systemd-cgroup is not supported: ctrun manages cgroupfs paths only (use cgroup_manager = \"cgroupfs\")");
            var commands = new Commands(new OciStateDirectory(global.Value("root") ?? OciStateDirectory.DefaultRoot), Environment.ProcessPath!);
            return commands.Run(global.Positionals[0], global.Positionals.Skip(1).ToList());
        }
        catch (Exception e)
        {
            // An unexpected failure says where with --debug; the user's mistakes need only the message.
            log.Error(debug ? e.ToString() : e.Message);
            return 1;
        }
    }
}
