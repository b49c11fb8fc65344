using System.Globalization;
using System.Text.Json;
using ContainerTools.Core;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Oci;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Ctrun;

/// <summary>The OCI runtime commands, each a parse of runc's flags and one core call.</summary>
public sealed class Commands(OciStateDirectory states, string self)
{
    private static readonly string[] CreateValued = ["bundle|b", "pid-file", "console-socket", "preserve-fds"];
    private static readonly string[] CreateSwitches = ["no-pivot", "no-new-keyring", "detach|d", "keep"];

    private OciRuntime Runtime => new(states);

    public int Run(string command, List<string> args) => command switch
    {
        "create" => Create(args),
        "start" => Simple(args, "start", id => Runtime.Start(id)),
        "run" => RunContainer(args),
        "state" => State(args),
        "kill" => Kill(args),
        "delete" => Delete(args),
        "exec" => Exec(args),
        "ps" => Ps(args),
        "pause" => Simple(args, "pause", id => Runtime.Pause(id)),
        "resume" => Simple(args, "resume", id => Runtime.Resume(id)),
        "update" => Update(args),
        "list" => List(args),
        "features" => Write(OciFeatures.Current.ToJson()),
        "help" => Help(),
        "version" => Version(),
        _ => throw new UsageException($"unknown command \"{command}\" (see ctrun --help)"),
    };

    private int Create(List<string> args)
    {
        var parsed = Arguments.Parse(args, CreateValued, CreateSwitches);
        Creating(parsed, "create");
        return 0;
    }

    private (OciContainer Container, Task<int> Exited) Creating(Arguments parsed, string command) =>
        new OciCreate(states).Create(new OciCreateOptions(parsed.Id(command), parsed.Value("bundle") ?? Directory.GetCurrentDirectory(), self,
            parsed.Value("pid-file"), parsed.Value("console-socket"), int.Parse(parsed.Value("preserve-fds") ?? "0", CultureInfo.InvariantCulture)));

    /// <summary>create + start; in the foreground, waits for the container, deletes it and exits with its code (as runc run).</summary>
    private int RunContainer(List<string> args)
    {
        var parsed = Arguments.Parse(args, CreateValued, CreateSwitches);
        var (container, exited) = Creating(parsed, "run");
        try
        {
            Runtime.Start(container.Id);
        }
        catch
        {
            Runtime.Delete(container.Id, force: true);
            throw;
        }
        if (parsed.Has("detach"))
            return 0;
        int code = exited.GetAwaiter().GetResult();
        if (!parsed.Has("keep"))
            Runtime.Delete(container.Id, force: true);
        return code;
    }

    private int State(List<string> args) => Write(Runtime.State(Arguments.Parse(args, [], []).Id("state")).ToJson());

    private int Kill(List<string> args)
    {
        var parsed = Arguments.Parse(args, [], ["all|a"]);
        int signal = parsed.Positionals.Count > 1 ? Signals.Parse(parsed.Positionals[1]) : Signals.SIGTERM;
        Runtime.Kill(parsed.Id("kill"), signal, parsed.Has("all"));
        return 0;
    }

    private int Delete(List<string> args)
    {
        var parsed = Arguments.Parse(args, [], ["force|f"]);
        Runtime.Delete(parsed.Id("delete"), parsed.Has("force"));
        return 0;
    }

    private int Exec(List<string> args)
    {
        var parsed = Arguments.Parse(args,
            ["process|p", "console-socket", "pid-file", "cwd", "env|e", "user|u", "additional-gids|g", "cap|c", "process-label", "apparmor", "preserve-fds", "cgroup"],
            ["tty|t", "detach|d", "no-new-privs", "ignore-paused"], stopAtFirstPositional: true);
        string id = parsed.Id("exec");
        var process = parsed.Value("process") is { } file
            ? OciBundle.Complete(JsonSerializer.Deserialize(File.ReadAllBytes(file), CtrunJsonContext.Default.SpecProcess)
                ?? throw new UsageException($"{file} holds no process"))
            : ProcessFromFlags(id, parsed);
        if (process.Args.Count == 0)
            throw new UsageException("exec needs a command (args, or --process)");
        return new OciExec(states, self).Exec(id, process, parsed.Has("detach"), parsed.Value("pid-file"), parsed.Value("console-socket"));
    }

    /// <summary>runc exec's flags over the container's own process (its env, user, capabilities).</summary>
    private SpecProcess ProcessFromFlags(string id, Arguments parsed)
    {
        var own = OciBundle.Load(states.Read(id).Bundle).Process;
        var user = own.User;
        if (parsed.Value("user") is { } text)
        {
            var parts = text.Split(':');
            user = new SpecUser { Uid = uint.Parse(parts[0], CultureInfo.InvariantCulture), Gid = parts.Length > 1 ? uint.Parse(parts[1], CultureInfo.InvariantCulture) : 0 };
        }
        return own with
        {
            Args = parsed.Positionals.Skip(1).ToList(),
            Env = [.. own.Env, .. parsed.Values("env")],
            Cwd = parsed.Value("cwd") ?? own.Cwd,
            User = user,
            Terminal = parsed.Has("tty"),
            NoNewPrivileges = own.NoNewPrivileges || parsed.Has("no-new-privs"),
        };
    }

    private int Ps(List<string> args)
    {
        var parsed = Arguments.Parse(args, ["format|f"], []);
        var pids = Runtime.Processes(parsed.Id("ps"));
        if (parsed.Value("format") == "json")
            return Write(JsonSerializer.SerializeToUtf8Bytes(pids.ToList(), CtrunJsonContext.Default.ListInt32));
        Console.Out.WriteLine("PID");
        foreach (int pid in pids)
            Console.Out.WriteLine(pid.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private int Update(List<string> args)
    {
        var parsed = Arguments.Parse(args,
            ["resources|r", "memory", "memory-swap", "memory-reservation", "kernel-memory", "cpu-quota", "cpu-period", "cpu-shares", "cpuset-cpus", "cpuset-mems", "pids-limit", "blkio-weight"], []);
        string id = parsed.Id("update");
        SpecResources resources;
        if (parsed.Value("resources") is { } file)
        {
            byte[] json = file == "-" ? ReadAll(Console.OpenStandardInput()) : File.ReadAllBytes(file);
            resources = JsonSerializer.Deserialize(json, CtrunJsonContext.Default.SpecResources) ?? new SpecResources();
        }
        else
        {
            resources = new SpecResources
            {
                Memory = new SpecMemory { Limit = Bytes(parsed.Value("memory")), Swap = Bytes(parsed.Value("memory-swap")) },
                Cpu = new SpecCpu
                {
                    Quota = Number(parsed.Value("cpu-quota")), Period = (ulong?)Number(parsed.Value("cpu-period")),
                    Shares = (ulong?)Number(parsed.Value("cpu-shares")), Cpus = parsed.Value("cpuset-cpus"),
                },
                Pids = parsed.Value("pids-limit") is { } pids ? new SpecPids { Limit = long.Parse(pids, CultureInfo.InvariantCulture) } : null,
                BlockIO = parsed.Value("blkio-weight") is { } weight ? new SpecBlockIo { Weight = ushort.Parse(weight, CultureInfo.InvariantCulture) } : null,
            };
        }
        Runtime.Update(id, OciResources.ToLimits(resources));
        return 0;
    }

    private int List(List<string> args)
    {
        var parsed = Arguments.Parse(args, ["format|f"], ["quiet|q"]);
        var all = Runtime.List().ToList();
        if (parsed.Value("format") == "json")
            return Write(JsonSerializer.SerializeToUtf8Bytes(all, CtrunJsonContext.Default.ListOciState));
        if (!parsed.Has("quiet"))
            Console.Out.WriteLine("ID\tPID\tSTATUS\tBUNDLE");
        foreach (var state in all)
            Console.Out.WriteLine(parsed.Has("quiet") ? state.Id : $"{state.Id}\t{state.Pid}\t{state.Status}\t{state.Bundle}");
        return 0;
    }

    private static int Simple(List<string> args, string command, Action<string> action)
    {
        action(Arguments.Parse(args, [], []).Id(command));
        return 0;
    }

    private static int Write(byte[] json)
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(json);
        stdout.Write("\n"u8);
        return 0;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static long? Bytes(string? text) => text is null ? null : text == "-1" ? -1 : ByteSize.Parse(text);

    private static long? Number(string? text) => text is null ? null : long.Parse(text, CultureInfo.InvariantCulture);

    public static int Version()
    {
        Console.Out.WriteLine("ctrun version 0.1.0\nspec: 1.2.0");
        return 0;
    }

    public static int Help()
    {
        Console.Out.WriteLine(HelpText.Text);
        return 0;
    }
}
