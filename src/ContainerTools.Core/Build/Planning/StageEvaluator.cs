using System.Collections.Immutable;
using System.Globalization;
using ContainerTools.Core.Build.Context;
using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// Walks one stage's instructions with Docker's scoping: ENV and in-scope ARGs substitute into ADD, COPY, ENV,
/// EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR and ARG (ENV wins over an ARG of the same name; each
/// instruction sees the values from before it); an ARG is in scope from its line to the end of its stage;
/// RUN gets the ARGs as environment. The base image's ONBUILD triggers run first. Produces the steps and
/// the final config without running anything.
/// </summary>
public sealed class StageEvaluator
{
    private readonly BuildPlan _plan;
    private readonly BuildStage _stage;
    private readonly List<BuildStep> _steps = [];
    /// <summary>The ARGs declared so far in this stage, in order; null: declared without a value.</summary>
    private readonly List<KeyValuePair<string, string?>> _arguments = [];
    private ImageSettings _settings;
    private bool _cmdSet;

    private StageEvaluator(BuildPlan plan, BuildStage stage, ImageSettings settings)
    {
        _plan = plan;
        _stage = stage;
        _settings = settings;
    }

    /// <param name="baseSettings">The config of the stage's base: the image's, the earlier stage's final one, or empty for scratch.</param>
    public static StageSteps Evaluate(BuildPlan plan, BuildStage stage, ImageSettings baseSettings)
    {
        // Triggers are consumed by the image built FROM the one that holds them; PATH is always set (BuildKit).
        var start = baseSettings with { OnBuild = [] };
        if (start.GetEnv("PATH") is null)
            start = start.WithEnv("PATH", ImageSettings.DefaultPath);
        var evaluator = new StageEvaluator(plan, stage, start);
        var triggerParser = new InstructionParser(plan.Dockerfile.Source, '\\');
        foreach (string trigger in baseSettings.OnBuild)
            evaluator.Apply(triggerParser.Parse(new LogicalLine(stage.From.Line, trigger)));
        foreach (Instruction instruction in stage.Instructions)
            evaluator.Apply(instruction);
        return new StageSteps(stage, evaluator._steps, evaluator._settings);
    }

    private void Apply(Instruction instruction)
    {
        switch (instruction)
        {
            case ArgInstruction arg:
                foreach (ArgDeclaration declaration in arg.Arguments)
                {
                    string? value = _plan.Arguments.Get(declaration.Name)
                        ?? (declaration.Default is not null ? Expand(declaration.Default, arg)
                            : _plan.GlobalArguments.GetValueOrDefault(declaration.Name));
                    _arguments.RemoveAll(a => a.Key == declaration.Name);
                    _arguments.Add(new(declaration.Name, value));
                }
                Config(arg, "ARG " + string.Join(' ', arg.Arguments.Select(a => Described(a.Name))));
                break;
            case EnvInstruction env:
                var variables = env.Variables.Select(v => (Key: Expand(v.Key, env), Value: Expand(v.Value, env))).ToList();
                foreach (var (key, value) in variables)
                    _settings = _settings.WithEnv(key, value);
                Config(env, "ENV " + string.Join(' ', variables.Select(v => $"{v.Key}={v.Value}")));
                break;
            case LabelInstruction label:
                var labels = label.Labels.Select(l => (Key: Expand(l.Key, label), Value: Expand(l.Value, label))).ToList();
                _settings = _settings with { Labels = _settings.Labels.SetItems(labels.Select(l => KeyValuePair.Create(l.Key, l.Value))) };
                Config(label, "LABEL " + string.Join(' ', labels.Select(l => $"{l.Key}={l.Value}")));
                break;
            case WorkdirInstruction workdir:
                string path = Expand(workdir.Path, workdir);
                string current = _settings.WorkingDir.Length == 0 ? "/" : _settings.WorkingDir;
                _settings = _settings with { WorkingDir = UnixPath.Clean(UnixPath.Join(current, path)) };
                _steps.Add(new WorkdirStep(workdir, "WORKDIR " + _settings.WorkingDir, _settings));
                break;
            case UserInstruction user:
                _settings = _settings with { User = Expand(user.User, user) };
                Config(user, "USER " + _settings.User);
                break;
            case ExposeInstruction expose:
                var ports = expose.Ports.SelectMany(p => Parse(() => ExposedPorts.Parse(Expand(p, expose)).ToList(), expose)).ToList();
                _settings = _settings with { ExposedPorts = _settings.ExposedPorts.Union(ports) };
                Config(expose, "EXPOSE " + string.Join(' ', ports));
                break;
            case VolumeInstruction volume:
                var paths = volume.Paths.Select(p => Expand(p, volume)).ToList();
                if (paths.Any(p => p.Trim().Length == 0))
                    throw Error(volume, "VOLUME specified can not be an empty string");
                _settings = _settings with { Volumes = _settings.Volumes.Union(paths) };
                Config(volume, "VOLUME " + Json(paths));
                break;
            case StopSignalInstruction stop:
                string signal = Expand(stop.Signal, stop);
                if (!StopSignals.IsValid(signal))
                    throw Error(stop, $"invalid signal: {signal}");
                _settings = _settings with { StopSignal = signal };
                Config(stop, "STOPSIGNAL " + signal);
                break;
            case ShellInstruction shell:
                _settings = _settings with { Shell = [.. shell.Shell] };
                Config(shell, "SHELL " + Json(shell.Shell));
                break;
            case CmdInstruction cmd:
                _settings = _settings with { Cmd = [.. cmd.Command.ToArgv(_settings.EffectiveShell)] };
                _cmdSet = true;
                Config(cmd, "CMD " + Json(_settings.Cmd));
                break;
            case EntrypointInstruction entrypoint:
                var argv = entrypoint.Command.ToArgv(_settings.EffectiveShell);
                // Docker: an ENTRYPOINT drops a CMD inherited from the base, not one set in this stage.
                _settings = _settings with { Entrypoint = argv.Count == 0 ? null : [.. argv], Cmd = _cmdSet ? _settings.Cmd : null };
                Config(entrypoint, "ENTRYPOINT " + Json(argv));
                break;
            case HealthcheckInstruction health:
                _settings = _settings with { Healthcheck = health.Check ?? HealthcheckSettings.None };
                Config(health, health.Original);
                break;
            case OnbuildInstruction onbuild:
                _settings = _settings with { OnBuild = _settings.OnBuild.Add(onbuild.Trigger) };
                Config(onbuild, "ONBUILD " + onbuild.Trigger);
                break;
            case MaintainerInstruction maintainer:
                _settings = _settings with { Author = maintainer.Name };
                Config(maintainer, "MAINTAINER " + maintainer.Name);
                break;
            case RunInstruction run:
                Run(run);
                break;
            case CopyInstruction copy:
                Copy(copy);
                break;
            default:
                throw Error(instruction, $"{instruction.Keyword} is not allowed here");
        }
    }

    private void Run(RunInstruction run)
    {
        IReadOnlyList<string> argv = run.Command.ToArgv(_settings.EffectiveShell);
        var given = _arguments.Where(a => a.Value is not null).Select(a => KeyValuePair.Create(a.Key, a.Value!)).ToList();
        var environment = _settings.Env.ToList();
        foreach (var (name, value) in given.Concat(_plan.Arguments.Proxies))
            if (_settings.GetEnv(name) is null && !environment.Any(e => e.StartsWith(name + "=", StringComparison.Ordinal)))
                environment.Add($"{name}={value}");
        // Docker's history form: the ARG values a RUN sees are part of what it ran, hence of its cache key.
        string arguments = given.Count == 0 ? "" : $"|{given.Count} {string.Join(' ', given.Select(a => $"{a.Key}={a.Value}"))} ";
        string network = run.Network is null ? "" : $"--network={run.Network} ";
        string command = run.Command.IsShellForm ? string.Join(' ', argv) : Json(argv);
        _steps.Add(new RunStep(run, $"RUN {network}{arguments}{command}", _settings, argv, environment, run.Network));
    }

    private void Copy(CopyInstruction copy)
    {
        var sources = copy.Sources.Select(s => Expand(s, copy)).ToList();
        foreach (string url in sources.Where(s => s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            throw new EngineException("DockerfileUnsupportedSource", ErrorKind.NotImplemented, url,
                $"{_plan.Dockerfile.Source} line {copy.Line}: {copy.Keyword} from a URL is not supported: {url}");
        string destination = Expand(copy.Destination, copy);
        string current = _settings.WorkingDir.Length == 0 ? "/" : _settings.WorkingDir;
        bool intoDirectory = destination.EndsWith('/') || destination is "." or "..";
        destination = UnixPath.Clean(UnixPath.Join(current, destination));
        if (intoDirectory && destination != "/")
            destination += "/";
        string? chown = copy.Chown is null ? null : Expand(copy.Chown, copy);
        string? chmodText = copy.Chmod is null ? null : Expand(copy.Chmod, copy);
        int? chmod = null;
        if (chmodText is not null)
        {
            if (!int.TryParse(chmodText, NumberStyles.None, CultureInfo.InvariantCulture, out _) || chmodText.Any(c => c > '7')
                || Convert.ToInt32(chmodText, 8) > 0xFFF)
                throw Error(copy, $"invalid chmod parameter: \"{chmodText}\"; it must be an octal mode such as 0755");
            chmod = Convert.ToInt32(chmodText, 8);
        }
        StageBase? from = copy.From is null ? null : _plan.ResolveCopySource(_stage, copy.From, copy.Line);
        var excludes = copy.Excludes.Select(e => Expand(e, copy)).ToList();
        var excluded = ExcludeMatcher(copy, excludes);
        string flags = string.Concat(
            copy.From is null ? "" : $"--from={Expand(copy.From, copy)} ",
            chown is null ? "" : $"--chown={chown} ",
            chmodText is null ? "" : $"--chmod={chmodText} ",
            string.Concat(excludes.Select(e => $"--exclude={e} ")));
        _steps.Add(new CopyStep(copy, $"{copy.Keyword} {flags}{string.Join(' ', sources)} {destination}", _settings,
            sources, destination, from, chown, chmod, excluded));
    }

    /// <summary>A COPY's --exclude patterns as one matcher; a malformed one fails here, before any step runs, naming its line.</summary>
    private DockerIgnore ExcludeMatcher(CopyInstruction copy, IReadOnlyList<string> patterns)
    {
        try
        {
            return DockerIgnore.FromPatterns(patterns);
        }
        catch (FormatException e)
        {
            throw new EngineException("BuildInvalidPattern", ErrorKind.InvalidArgument, string.Join(", ", patterns),
                $"{_plan.Dockerfile.Source} line {copy.Line}: --exclude: {e.Message}");
        }
    }

    private void Config(Instruction instruction, string createdBy) =>
        _steps.Add(new ConfigStep(instruction, createdBy, _settings));

    private string Described(string argument)
    {
        string? value = _arguments.LastOrDefault(a => a.Key == argument).Value;
        return value is null ? argument : $"{argument}={value}";
    }

    /// <summary>Substitutes with the values before this instruction: ENV first, then the stage's ARGs.</summary>
    private string Expand(string word, Instruction instruction) => Parse(() =>
        new WordExpander(Lookup, _plan.Dockerfile.Escape).Expand(word), instruction);

    private string? Lookup(string name) =>
        _settings.GetEnv(name) ?? _arguments.LastOrDefault(a => a.Key == name).Value;

    private T Parse<T>(Func<T> parse, Instruction instruction)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw Error(instruction, e.Message);
        }
    }

    private EngineException Error(Instruction instruction, string message) =>
        DockerfileErrors.Syntax(_plan.Dockerfile.Source, instruction.Line, $"{instruction.Keyword}: {message}");

    private static string Json(IEnumerable<string>? items) => JsonArrayText.Of(items);
}
