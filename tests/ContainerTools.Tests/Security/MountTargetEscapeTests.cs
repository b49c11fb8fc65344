using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>
/// CVE-2021-30465 (runc): a mount target that is a symlink out of the root, planted by the image or swapped
/// in through a shared volume while the start runs, put a mount on the host's side. Here every target is
/// resolved inside the root and mounted through its descriptor: the host must stay untouched.
/// </summary>
public sealed class MountTargetEscapeTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly ContainerRunner run;
    /// <summary>A host directory the attacks aim at: nothing may ever appear in it or be mounted on it.</summary>
    private readonly string sentinel;
    private readonly string bindSource;

    public MountTargetEscapeTests()
    {
        run = new ContainerRunner(store);
        sentinel = store.Scratch("sentinel");
        bindSource = store.Scratch("bind-source");
        File.WriteAllText(Path.Combine(bindSource, "from-bind"), "bind");
    }

    public void Dispose() => store.Dispose();

    private void AssertHostUntouched()
    {
        Assert.Empty(Directory.GetFileSystemEntries(sentinel));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(sentinel) || line.Contains(bindSource));
        Assert.False(File.Exists("/from-bind"));
    }

    [Fact]
    public void RootPathResolvesASymlinkToTheHostInsideTheRoot()
    {
        string root = store.Scratch("root");
        File.CreateSymbolicLink(Path.Combine(root, "abs"), sentinel);
        File.CreateSymbolicLink(Path.Combine(root, "rel"), "../../../../../../../../../.." + sentinel);
        using var rooted = RootedPath.Open(root);

        RootPath.OpenDirectory(rooted, "/abs/made").Dispose();
        RootPath.OpenFile(rooted, "/rel/file").Dispose();

        Assert.Empty(Directory.GetFileSystemEntries(sentinel));
        Assert.True(Directory.Exists(Path.Combine(root, sentinel.TrimStart('/'), "made")));
        Assert.True(File.Exists(Path.Combine(root, sentinel.TrimStart('/'), "file")));
    }

    [Fact]
    public void ImageSymlinkAsMountTargetMountsInsideTheRoot()
    {
        string rootfs = Busybox.CreateRootfs(store.Scratch("evil-rootfs"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "bind"), sentinel);
        File.CreateSymbolicLink(Path.Combine(rootfs, "vol"), "../../../../../../../../../.." + sentinel);
        File.CreateSymbolicLink(Path.Combine(rootfs, "tmp-at-root"), "/");
        var image = new ContainerImage("evil", null, new ImageDefaults { Cmd = ["sh"] }, [rootfs]);
        var container = run.Containers.Create(image, new ContainerOptions
        {
            Command = ["sh", "-c", "cat /bind/from-bind; echo v > /vol/written; ls /"],
            Volumes = [$"{bindSource}:/bind:ro", "shared:/vol"],
            Network = None,
        });

        run.Lifecycle.Start(container.Id);
        var ended = run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(0, ended.State.ExitCode);
        Assert.Equal("v\n", File.ReadAllText(Path.Combine(store.Location.VolumesDirectory, "shared", "_data", "written")));
        AssertHostUntouched();
    }

    [Fact]
    public void TargetSwappedForASymlinkDuringStartsNeverLeavesTheRoot()
    {
        // Container A flips /v/t in the shared volume between a directory and symlinks to / and to the host
        // sentinel, as fast as it can; container B is started again and again with a bind mount on /v/t.
        string flip = $"while true; do rm -rf /v/t; mkdir /v/t; rm -rf /v/t; ln -s / /v/t; rm -f /v/t; ln -s {sentinel} /v/t; done";
        var racer = run.Containers.Create(run.Image(), new ContainerOptions { Command = ["sh", "-c", flip], Volumes = ["race:/v"], Network = None });
        run.Lifecycle.Start(racer.Id);
        try
        {
            for (int attempt = 0; attempt < 12; attempt++)
            {
                var victim = run.Containers.Create(run.Image(), new ContainerOptions
                {
                    Command = ["sh", "-c", "touch /v/t/from-victim 2>/dev/null; true"],
                    Volumes = ["race:/v", $"{bindSource}:/v/t"],
                    Network = None,
                });
                try
                {
                    run.Lifecycle.Start(victim.Id);
                    run.Lifecycle.Wait(victim.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
                }
                catch (Core.EngineException e) when (e.ErrorId == "ContainerStartFailed")
                {
                    // A target that vanished mid-start is a failed start: acceptable, an escape is not.
                }
                run.Lifecycle.Remove(victim.Id, force: true);
                AssertHostUntouched();
            }
        }
        finally
        {
            run.Lifecycle.Remove(racer.Id, force: true);
        }
        AssertHostUntouched();
    }

    private static Core.Networking.NetworkSettings None => new() { Mode = Core.Networking.NetworkSettings.None };
}
