using ContainerTools.Core.Build.Layers;
using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Build.Syntax;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Build.Execution;

/// <summary>
/// `docker commit`: a new image made of a container's image plus one layer of what the container changed
/// (its overlay upper directory), with its config optionally changed by Dockerfile instructions.
/// </summary>
public static class ContainerCommit
{
    /// <summary>The instructions `docker commit --change` accepts.</summary>
    private static readonly HashSet<string> Changeable = new(StringComparer.Ordinal)
    {
        "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR", "STOPSIGNAL", "HEALTHCHECK",
    };

    public static ImageRecord Commit(StoreLocation store, string container, ImageReference? name, IReadOnlyList<string> changes,
        string? author = null, string? message = null)
    {
        var containers = new ContainerStore(store);
        var images = new ImageStore(store);
        var snapshot = containers.Find(container);
        var image = images.TryResolve(snapshot.Record.ImageId ?? snapshot.Record.Image)
            ?? throw new EngineException("ContainerImageGone", ErrorKind.NotFound, snapshot.Name,
                $"the image of container {snapshot.Name} ({snapshot.Record.Image}) is no longer in the store");
        var start = StageResult.FromImage(images, image);
        var settings = Change(start.Settings, changes);
        if (author is not null)
            settings = settings with { Author = author };

        var layer = new LayerCommitter(images, store.TempDirectory)
            .Commit(start.TopChainId, output => OverlayDiff.Write(containers.Paths(snapshot.Id).Upper, output));
        var history = new HistoryEntry
        {
            Created = DateTimeOffset.UtcNow,
            CreatedBy = string.Join(' ', snapshot.Record.Command),
            Author = author,
            Comment = message,
            EmptyLayer = layer is null,
        };
        var result = new StageResult(layer is null ? start.Layers : [.. start.Layers, layer], settings, start.Key, [.. start.History, history]);
        return ImageAssembler.Register(images, result, name is null ? [] : [name]);
    }

    /// <summary>Applies -Change instructions as a Dockerfile would, without running the base's ONBUILD triggers.</summary>
    private static ImageSettings Change(ImageSettings settings, IReadOnlyList<string> changes)
    {
        if (changes.Count == 0)
            return settings;
        var dockerfile = Dockerfile.Parse("FROM scratch\n" + string.Join('\n', changes), "-Change");
        foreach (var instruction in dockerfile.Instructions.Skip(1).Where(i => !Changeable.Contains(i.Keyword)))
            throw new EngineException("InvalidChange", ErrorKind.InvalidArgument, instruction.Original,
                $"{instruction.Keyword} cannot be applied to a committed image; use one of {string.Join(", ", Changeable.Order(StringComparer.Ordinal))}");
        var plan = BuildPlan.Create(dockerfile);
        var changed = StageEvaluator.Evaluate(plan, plan.Target, settings with { OnBuild = [] }).Final;
        return changed with { OnBuild = settings.OnBuild.AddRange(changed.OnBuild) };
    }
}
