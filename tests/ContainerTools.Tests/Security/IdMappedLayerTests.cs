using System.Diagnostics;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>
/// The host side of -UserNamespace Auto on a real user namespace (made by the fixture `unshare --user`):
/// its id maps written from outside, and a layer seen through an id-mapped mount of it.
/// </summary>
public sealed class IdMappedLayerTests : IDisposable
{
    private static readonly IdRange Slice = new(300000, 65536);

    private readonly TestStore store = new();
    private readonly Process holder;

    public IdMappedLayerTests()
    {
        try
        {
            // Its command line names the store, so the store's cleanup ends it even if this class fails.
            holder = Process.Start(new ProcessStartInfo("unshare", ["--user", "--", "/bin/sh", "-c", "read line", store.Path]) { RedirectStandardInput = true })!;
            WaitUntilInOwnUserNamespace(holder.Id);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        holder.StandardInput.Close();
        holder.WaitForExit();
        store.Dispose();
    }

    [Fact]
    public void MapsWrittenFromOutsideMapRootToTheSlice()
    {
        UserNamespaceMaps.Write(holder.Id, [IdMapping.RootTo(Slice)], [IdMapping.RootTo(Slice)]);

        Assert.Equal("0 300000 65536", Normalize(File.ReadAllText($"/proc/{holder.Id}/uid_map")));
        Assert.Equal("0 300000 65536", Normalize(File.ReadAllText($"/proc/{holder.Id}/gid_map")));
    }

    [Fact]
    public void AFileOfHostRootSeenThroughTheIdMappedLayerIsOwnedByTheSlicesRoot()
    {
        UserNamespaceMaps.Write(holder.Id, [IdMapping.RootTo(Slice)], [IdMapping.RootTo(Slice)]);
        string layer = store.Scratch("layer");
        File.WriteAllText(Path.Combine(layer, "owned-by-root"), "x");
        string target = store.Scratch("mapped");
        int userNamespace = Errno.Check(Linux.openat(-100, $"/proc/{holder.Id}/ns/user", Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", "ns/user");
        try
        {
            using var tree = IdMappedLayer.Open(layer, userNamespace);
            IdMappedLayer.Attach(tree, target);
            try
            {
                // Host root's file is the namespace's root's: on the host that is the slice's first id.
                Assert.Equal(Slice.Start, OwnerOf(Path.Combine(target, "owned-by-root")));
                Assert.Equal(0, OwnerOf(Path.Combine(layer, "owned-by-root")));
            }
            finally
            {
                Linux.umount2(target, Linux.MNT_DETACH);
            }
        }
        finally
        {
            Linux.close(userNamespace);
        }
    }

    private static long OwnerOf(string path) => Linux.LStat(path).Uid;

    private static string Normalize(string map) => string.Join(' ', map.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>unshare runs its command only after its unshare(CLONE_NEWUSER): wait for that exec.</summary>
    private static void WaitUntilInOwnUserNamespace(int pid)
    {
        string? own = new FileInfo("/proc/self/ns/user").LinkTarget;
        while (new FileInfo($"/proc/{pid}/ns/user").LinkTarget == own || !File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("/bin/sh", StringComparison.Ordinal))
            Thread.Sleep(5);
    }
}
