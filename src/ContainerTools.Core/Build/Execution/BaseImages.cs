using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;

namespace ContainerTools.Core.Build.Execution;

/// <summary>
/// The images a build names (FROM, COPY --from) as docker build finds them: from the store, pulled when the
/// store lacks them, or refreshed from the registry once per build when the policy is Always (--pull).
/// </summary>
internal sealed class BaseImages(ImageStore images, PullPolicy policy, RegistryOptions registry, IBuildObserver observer, CancellationToken cancel)
{
    private readonly Dictionary<string, ImageRecord> _pulled = new(StringComparer.Ordinal);

    public ImageRecord Get(string reference)
    {
        if (_pulled.TryGetValue(reference, out var pulled))
            return pulled;
        if (policy != PullPolicy.Always && images.TryResolve(reference) is { } stored)
            return stored;
        observer.Pulling(reference);
        // The build runs on the caller's thread and waits here, as it waits for each RUN.
        var image = new ImagePuller(images, registry).EnsureAsync(reference, PullPolicy.Always, PlatformSelector.Host, cancel: cancel).GetAwaiter().GetResult();
        return _pulled[reference] = image;
    }
}
