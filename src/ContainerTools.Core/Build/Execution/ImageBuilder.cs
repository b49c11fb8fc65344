using ContainerTools.Core.Build.Cache;
using ContainerTools.Core.Build.Context;
using ContainerTools.Core.Build.Layers;
using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Build.Syntax;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Build.Execution;

/// <summary>
/// Builds an image from a Dockerfile. First everything that can be wrong with the input is checked (syntax,
/// stages, base images, pulled when missing, COPY sources) before any step runs; then each stage's steps run
/// in order: config steps only change the config, RUN runs in a container on an overlay of the layers so far,
/// COPY/ADD and WORKDIR write their layer directly. Each step's layer is looked up in the cache by its key
/// first. The image gets its names only at the end, so a failed build tags nothing; until then it holds the
/// store's ingest lock, as an import does, so no other session collects its layers as unreferenced.
/// </summary>
public sealed class ImageBuilder
{
    private static readonly string[] DefaultFiles = ["Dockerfile", "Containerfile"];

    private readonly StoreLocation _store;
    private readonly ImageStore _images;
    private readonly BuildCache _cache;
    private readonly LayerCommitter _committer;
    private readonly RunStepExecutor _runner;

    public ImageBuilder(StoreLocation store, string monitorExecutable)
    {
        _store = store;
        _images = new ImageStore(store);
        _cache = new BuildCache(store);
        _committer = new LayerCommitter(_images, store.TempDirectory);
        _runner = new RunStepExecutor(new ContainerLifecycle(new ContainerStore(store), monitorExecutable));
    }

    public ImageRecord Build(BuildRequest request, IBuildObserver observer, CancellationToken cancel = default)
    {
        string contextDirectory = Path.GetFullPath(request.Context);
        string dockerfilePath = Locate(contextDirectory, request.Dockerfile);
        var dockerfile = Dockerfile.Parse(File.ReadAllText(dockerfilePath), Path.GetFileName(dockerfilePath));
        var plan = BuildPlan.Create(dockerfile, new BuildArguments(request.Arguments), request.Target);
        foreach (string unused in plan.UnusedArguments)
            observer.Warning($"the build argument {unused} was not consumed by any ARG");
        using var context = BuildContext.Open(contextDirectory, DockerIgnore.ForBuild(contextDirectory, dockerfilePath));
        // Its layers are no image's until the end: an import's tidying in another session must not take them.
        using var ingest = _images.HoldIngest();
        _runner.RemoveAbandoned();
        _cache.RemoveStaleTemps();

        var stages = Prepare(plan, context, new BaseImages(_images, request.Pull, request.Registry, observer, cancel));
        var results = new Dictionary<int, StageResult>();
        var progress = new StepCounter(stages.Values.Sum(s => s.Steps.Count));
        foreach (BuildStage stage in plan.Required)
        {
            cancel.ThrowIfCancellationRequested();
            StageResult start = stage.Base switch
            {
                StageReference reference => results[reference.Index],
                ImageBase image => StageResult.FromImage(_images, _images.Resolve(image.Reference)),
                _ => StageResult.Scratch,
            };
            results[stage.Index] = new StageRun(this, plan, stage, context, results, observer, progress, request.NoCache, cancel)
                .Execute(start, stages[stage.Index]);
        }
        return ImageAssembler.Register(_images, results[plan.Target.Index], request.Tags);
    }

    /// <summary>
    /// Evaluates every required stage and checks what it names (base images, COPY sources in the context), so
    /// bad input fails before any container runs or any layer is written.
    /// </summary>
    private static Dictionary<int, StageSteps> Prepare(BuildPlan plan, BuildContext context, BaseImages bases)
    {
        var evaluated = new Dictionary<int, StageSteps>();
        foreach (BuildStage stage in plan.Required)
        {
            ImageSettings start = stage.Base switch
            {
                StageReference reference => evaluated[reference.Index].Final,
                ImageBase image => ImageSettingsConversion.FromImage(ResolveImage(bases, image.Reference, plan, stage.From.Line).Config),
                _ => ImageSettings.Empty,
            };
            var steps = StageEvaluator.Evaluate(plan, stage, start);
            foreach (var copy in steps.Steps.OfType<CopyStep>())
            {
                string where = Where(plan, copy);
                if (copy.From is null)
                    foreach (string source in copy.Sources)
                        context.Expand(source, where);
                else if (copy.From is ImageBase image)
                    ResolveImage(bases, image.Reference, plan, copy.Instruction.Line);
            }
            evaluated[stage.Index] = steps;
        }
        return evaluated;
    }

    /// <summary>A base image from the store or its registry; a failure names the Dockerfile line that wants it.</summary>
    private static ImageRecord ResolveImage(BaseImages bases, string reference, BuildPlan plan, int line)
    {
        try
        {
            return bases.Get(reference);
        }
        catch (EngineException e)
        {
            throw new EngineException(e.ErrorId, e.Kind, e.Target, $"{plan.Dockerfile.Source} line {line}: {e.Message}", e);
        }
    }

    private static string Locate(string context, string? dockerfile)
    {
        if (dockerfile is not null)
        {
            string path = Path.GetFullPath(dockerfile, context);
            return File.Exists(path) ? path : throw new EngineException("DockerfileNotFound", ErrorKind.NotFound, dockerfile,
                $"the Dockerfile {path} does not exist");
        }
        return DefaultFiles.Select(name => Path.Combine(context, name)).FirstOrDefault(File.Exists)
            ?? throw new EngineException("DockerfileNotFound", ErrorKind.NotFound, context,
                $"no Dockerfile or Containerfile in {context}: name one with -File");
    }

    private static string Where(BuildPlan plan, BuildStep step) => $"{plan.Dockerfile.Source} line {step.Instruction.Line}";

    private sealed class StepCounter(int total)
    {
        public int Total { get; } = total;
        public int Current { get; private set; }
        public int Next() => ++Current;
    }

    /// <summary>One stage being executed: its steps in order, each from the cache or run.</summary>
    private sealed class StageRun(ImageBuilder builder, BuildPlan plan, BuildStage stage, BuildContext context,
        Dictionary<int, StageResult> results, IBuildObserver observer, StepCounter counter, bool noCache, CancellationToken cancel)
    {
        private readonly List<BuiltLayer> _layers = [];
        private readonly List<HistoryEntry> _history = [];

        public StageResult Execute(StageResult start, StageSteps steps)
        {
            _layers.AddRange(start.Layers);
            _history.AddRange(start.History);
            CacheKey key = start.Key;
            foreach (BuildStep step in steps.Steps)
            {
                cancel.ThrowIfCancellationRequested();
                int number = counter.Next();
                key = step.ChangesFiles ? key.Next(step, step is CopyStep copy ? SourceDigest(copy) : null) : key.Next(step);
                CachedStep? hit = noCache ? null : builder._cache.Find(key, builder._images.Blobs);
                // A config step is never reported as cached: it has nothing to skip.
                observer.Step(number, counter.Total, stage.DisplayName, step.CreatedBy, cached: hit is not null && step.ChangesFiles);
                BuiltLayer? layer;
                if (hit is not null)
                    layer = hit.LayerDigest is null ? null : builder._committer.Adopted(TopChainId, hit.LayerDigest, hit.DiffId);
                else
                    layer = step.ChangesFiles ? Run(step) : null;
                // Config steps are cached too, for their time: a rebuild that changes nothing keeps every time in
                // the history and the config, so it makes the very same image (id), as docker and buildah do.
                DateTimeOffset created = hit?.Created ?? DateTimeOffset.UtcNow;
                if (hit?.Created is null)
                    builder._cache.Save(key, new CachedStep { LayerDigest = layer?.Digest, DiffId = layer?.DiffId, Created = created });
                Record(step, layer, created);
            }
            return new StageResult(_layers, steps.Final, key, _history);
        }

        private string? TopChainId => _layers.Count == 0 ? null : _layers[^1].ChainId;

        private void Record(BuildStep step, BuiltLayer? layer, DateTimeOffset created)
        {
            if (layer is not null)
                _layers.Add(layer);
            _history.Add(new HistoryEntry { Created = created, CreatedBy = step.CreatedBy, EmptyLayer = layer is null });
        }

        /// <summary>What the key of a COPY covers besides its text: the files it copies, or the stage or image it reads.</summary>
        private string SourceDigest(CopyStep copy) => copy.From switch
        {
            null => ContentDigest.Of(context, copy.Sources.SelectMany(s => context.Expand(s, Where(plan, copy))), copy.Excludes),
            StageReference reference => results[reference.Index].Key.Value,
            ImageBase image => builder._images.Resolve(image.Reference).Id,
            _ => CacheKey.Scratch.Value,
        };

        private BuiltLayer? Run(BuildStep step) => step switch
        {
            RunStep run => RunCommand(run),
            CopyStep copy => Copy(copy),
            WorkdirStep workdir => CreateWorkdir(workdir),
            _ => null,
        };

        private BuiltLayer? RunCommand(RunStep run)
        {
            var directories = _layers.Select(l => builder._images.LayerDirectory(l.ChainId)).ToList();
            string? empty = null;
            if (directories.Count == 0)
            {
                // overlayfs needs a lower directory; a RUN on scratch gets an empty one.
                empty = Path.Combine(builder._store.TempDirectory, AtomicFile.TempName());
                Directory.CreateDirectory(empty);
                directories.Add(empty);
            }
            try
            {
                BuiltLayer? layer = null;
                builder._runner.Run(run, directories, Where(plan, run), observer.Output,
                    upper => layer = builder._committer.Commit(TopChainId, output => OverlayDiff.Write(upper, output)), cancel);
                return layer;
            }
            finally
            {
                if (empty is not null)
                    Directory.Delete(empty, recursive: true);
            }
        }

        private BuiltLayer? Copy(CopyStep copy)
        {
            string where = Where(plan, copy);
            using var targetView = View(_layers);
            using var target = targetView.Open();
            using var sourceView = copy.From switch
            {
                null => null,
                StageReference reference => View(results[reference.Index].Layers),
                ImageBase image => View(StageResult.FromImage(builder._images, builder._images.Resolve(image.Reference)).Layers),
                _ => View([]),
            };
            using var sourceRoot = sourceView?.Open();
            BuildContext source = sourceRoot ?? context;
            var sources = copy.Sources.SelectMany(s => source.Expand(s, where)).ToList();
            Owner? owner = copy.Chown is null ? null : Owner.Resolve(copy.Chown, target, where);
            return builder._committer.Commit(TopChainId, output =>
            {
                using var tar = new LayerTarWriter(output);
                new CopyLayer(tar, target, owner, copy.Chmod, where, keepOwners: copy.From is not null).Copy(source, sources, copy.Destination,
                    copy.Excludes, extractArchives: copy.Copy.IsAdd && copy.From is null);
                return tar.Count;
            });
        }

        private BuiltLayer? CreateWorkdir(WorkdirStep workdir)
        {
            using var view = View(_layers);
            using var target = view.Open();
            string where = Where(plan, workdir);
            Owner? owner = workdir.Settings.User.Length == 0 ? null : Owner.Resolve(workdir.Settings.User, target, where);
            return builder._committer.Commit(TopChainId, output =>
            {
                using var tar = new LayerTarWriter(output);
                new CopyLayer(tar, target, owner, null, where).CreateDirectory(workdir.Settings.WorkingDir);
                return tar.Count;
            });
        }

        private RootView View(IReadOnlyList<BuiltLayer> layers) =>
            RootView.Mount(layers.Select(l => builder._images.LayerDirectory(l.ChainId)).ToList(), builder._store.TempDirectory);
    }
}
