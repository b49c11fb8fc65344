using System.Globalization;
using ContainerTools.Core.Build.Syntax;
using ContainerTools.Core.Registry;

namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// What a build does, before anything runs: the global ARGs (those before the first FROM, which only FROM
/// lines see), the stages with their bases, the target stage, and the stages the target needs in build
/// order (stages it does not need are pruned, as BuildKit does).
/// </summary>
public sealed class BuildPlan
{
    private readonly Dictionary<string, string?> _globals;

    private BuildPlan(Dockerfile dockerfile, BuildArguments arguments, Dictionary<string, string?> globals,
        IReadOnlyList<BuildStage> stages, BuildStage target)
    {
        Dockerfile = dockerfile;
        Arguments = arguments;
        _globals = globals;
        Stages = stages;
        Target = target;
        Required = Closure(stages, target).Order().Select(i => stages[i]).ToList();
        UnusedArguments = arguments.NotIn(globals.Keys.Concat(Required
            .SelectMany(s => s.Instructions).OfType<ArgInstruction>().SelectMany(a => a.Arguments).Select(a => a.Name)));
    }

    public Dockerfile Dockerfile { get; }
    public BuildArguments Arguments { get; }
    public IReadOnlyList<BuildStage> Stages { get; }
    public BuildStage Target { get; }

    /// <summary>The stages to build for <see cref="Target"/>, each after the stages it depends on.</summary>
    public IReadOnlyList<BuildStage> Required { get; }

    /// <summary>Build arguments no ARG of a required stage declares (reported as a warning, as Docker does).</summary>
    public IReadOnlyList<string> UnusedArguments { get; }

    /// <summary>The global ARGs and the platform ARGs, with their values (null: declared without one).</summary>
    public IReadOnlyDictionary<string, string?> GlobalArguments => _globals;

    /// <param name="target">The stage to build (an AS name); null builds the last stage.</param>
    public static BuildPlan Create(Dockerfile dockerfile, BuildArguments? arguments = null, string? target = null)
    {
        arguments ??= BuildArguments.None;
        var globals = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in BuildPlatform.Arguments)
            globals[name] = arguments.Get(name) ?? value;
        var stages = new List<BuildStage>();
        int first = dockerfile.Instructions.TakeWhile(i => i is not FromInstruction).Count();
        foreach (Instruction instruction in dockerfile.Instructions.Take(first))
        {
            if (instruction is not ArgInstruction arg)
                throw Error(dockerfile, instruction.Line, "no build stage in current context: only ARG may come before the first FROM");
            foreach (ArgDeclaration declaration in arg.Arguments)
                globals[declaration.Name] = arguments.Get(declaration.Name)
                    ?? (declaration.Default is null ? null : Expand(dockerfile, globals, declaration.Default, arg.Line));
        }
        if (first == dockerfile.Instructions.Count)
            throw Error(dockerfile, Math.Max(1, dockerfile.Instructions.LastOrDefault()?.Line ?? 1), "the Dockerfile has no FROM instruction");

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = first; i < dockerfile.Instructions.Count;)
        {
            var from = (FromInstruction)dockerfile.Instructions[i];
            var body = dockerfile.Instructions.Skip(i + 1).TakeWhile(x => x is not FromInstruction).ToList();
            i += 1 + body.Count;
            int index = stages.Count;
            if (from.StageName is not null && !names.TryAdd(from.StageName, index))
                throw Error(dockerfile, from.Line, $"duplicate stage name \"{from.StageName}\"");
            string image = Expand(dockerfile, globals, from.Image, from.Line);
            if (image.Length == 0)
                throw Error(dockerfile, from.Line, $"base name ({from.Image}) should not be blank");
            StageBase @base = ResolveBase(image, names, index);
            var dependsOn = new SortedSet<int>();
            if (@base is StageReference baseStage)
                dependsOn.Add(baseStage.Index);
            foreach (var copy in body.OfType<CopyInstruction>().Where(c => c.From is not null))
                if (ResolveSource(dockerfile, globals, names, index, copy.From!, copy.Line) is StageReference source)
                    dependsOn.Add(source.Index);
            stages.Add(new BuildStage(index, from.StageName, from, @base, body, dependsOn.ToList()));
        }

        BuildStage targetStage = stages[^1];
        if (target is not null)
        {
            if (!names.TryGetValue(target.ToLowerInvariant(), out int targetIndex))
                throw new EngineException("BuildTargetNotFound", ErrorKind.NotFound, target,
                    $"target stage \"{target}\" could not be found in {dockerfile.Source}");
            targetStage = stages[targetIndex];
        }
        var plan = new BuildPlan(dockerfile, arguments, globals, stages, targetStage);
        foreach (BuildStage stage in plan.Required)
            CheckPlatform(dockerfile, globals, stage.From);
        return plan;
    }

    /// <summary>
    /// FROM --platform may only name this machine's platform (as $BUILDPLATFORM and $TARGETPLATFORM do): another
    /// one needs that platform's images and an emulator for its RUNs, which this engine has not. Refused, rather
    /// than built from the host's images as if the flag were not there.
    /// </summary>
    private static void CheckPlatform(Dockerfile dockerfile, Dictionary<string, string?> globals, FromInstruction from)
    {
        if (from.Platform is null)
            return;
        string value = Expand(dockerfile, globals, from.Platform, from.Line);
        PlatformSelector wanted;
        try
        {
            wanted = PlatformSelector.Parse(value);
        }
        catch (EngineException e)
        {
            throw Error(dockerfile, from.Line, $"FROM --platform: {e.Message}");
        }
        PlatformSelector host = PlatformSelector.Host;
        if (wanted.Os != host.Os || wanted.Architecture != host.Architecture)
            throw new EngineException("BuildPlatformNotSupported", ErrorKind.NotImplemented, value,
                $"{dockerfile.Source} line {from.Line}: FROM --platform={value}: only images for this machine's platform ({host}) can be built");
    }

    /// <summary>
    /// Where a COPY --from=<paramref name="from"/> in <paramref name="stage"/> reads: an earlier stage by name
    /// or index, else an image. The value may use global ARGs.
    /// </summary>
    public StageBase ResolveCopySource(BuildStage stage, string from, int line) =>
        ResolveSource(Dockerfile, _globals, StageNames(stage.Index), stage.Index, from, line);

    private Dictionary<string, int> StageNames(int before) =>
        Stages.Take(before).Where(s => s.Name is not null).ToDictionary(s => s.Name!, s => s.Index, StringComparer.Ordinal);

    private static StageBase ResolveBase(string image, Dictionary<string, int> names, int index)
    {
        if (image.Equals("scratch", StringComparison.OrdinalIgnoreCase))
            return ScratchBase.Instance;
        // A stage name may only refer to a stage defined above; the current one is not yet in `names`.
        return names.TryGetValue(image.ToLowerInvariant(), out int stage) && stage < index
            ? new StageReference(stage)
            : new ImageBase(image);
    }

    private static StageBase ResolveSource(Dockerfile dockerfile, Dictionary<string, string?> globals,
        Dictionary<string, int> names, int index, string from, int line)
    {
        string value = Expand(dockerfile, globals, from, line);
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            if (number >= index)
                throw Error(dockerfile, line, $"invalid from flag value {value}: refers to current or future build stage");
            return new StageReference(number);
        }
        if (value.Length == 0)
            throw Error(dockerfile, line, $"invalid from flag value: \"{from}\" is empty");
        return ResolveBase(value, names, index);
    }

    private static HashSet<int> Closure(IReadOnlyList<BuildStage> stages, BuildStage target)
    {
        var needed = new HashSet<int>();
        var pending = new Stack<int>([target.Index]);
        while (pending.TryPop(out int index))
            if (needed.Add(index))
                foreach (int dependency in stages[index].DependsOn)
                    pending.Push(dependency);
        return needed;
    }

    private static string Expand(Dockerfile dockerfile, IReadOnlyDictionary<string, string?> globals, string word, int line)
    {
        try
        {
            return new WordExpander(name => globals.GetValueOrDefault(name), dockerfile.Escape).Expand(word);
        }
        catch (FormatException e)
        {
            throw Error(dockerfile, line, e.Message);
        }
    }

    private static EngineException Error(Dockerfile dockerfile, int line, string message) =>
        DockerfileErrors.Syntax(dockerfile.Source, line, message);
}
