using ContainerTools.Core.Build.Context;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Build.Layers;

/// <summary>
/// A read-only view of a stack of layers (an overlay mount with no upper directory), so a COPY can read
/// another stage's files and find its destination in this one with the same rooted lookups it uses on the
/// build context. Disposing unmounts it and removes its directories.
/// </summary>
public sealed class RootView : IDisposable
{
    private readonly string _directory;
    private bool _mounted;

    private RootView(string directory, string path)
    {
        _directory = directory;
        Path = path;
    }

    /// <summary>Where the merged file system is visible.</summary>
    public string Path { get; }

    /// <param name="layers">Layer directories, bottom first.</param>
    /// <param name="scratch">A directory for the mount point (the store's tmp).</param>
    public static RootView Mount(IReadOnlyList<string> layers, string scratch)
    {
        string directory = System.IO.Path.Combine(scratch, ".build-view-" + Guid.NewGuid().ToString("N"));
        string empty = System.IO.Path.Combine(directory, "empty");
        string merged = System.IO.Path.Combine(directory, "merged");
        Directory.CreateDirectory(empty);
        Directory.CreateDirectory(merged);
        var view = new RootView(directory, layers.Count == 0 ? empty : merged);
        if (layers.Count == 0)
            return view;
        try
        {
            // overlayfs needs two lower directories when it has no upper one; the empty one changes nothing.
            string lower = string.Join(':', layers.Reverse().Append(empty));
            Errno.Check(Linux.mount("overlay", merged, "overlay", Linux.MS_RDONLY, $"lowerdir={lower}"), "mount", merged);
            view._mounted = true;
            return view;
        }
        catch
        {
            view.Dispose();
            throw;
        }
    }

    public BuildContext Open() => BuildContext.Open(Path, DockerIgnore.None);

    public void Dispose()
    {
        if (_mounted)
        {
            Errno.Check(Linux.umount2(System.IO.Path.Combine(_directory, "merged"), Linux.MNT_DETACH), "umount2", _directory);
            _mounted = false;
        }
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
