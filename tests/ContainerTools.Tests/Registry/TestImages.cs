using System.IO.Compression;
using System.Security.Cryptography;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Store;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>Images the registry tests push: a busybox root file system layer made with tar, put into a store as an OCI image.</summary>
public static class TestImages
{
    /// <summary>Stores a one-layer busybox image named <paramref name="name"/>; returns its record.</summary>
    public static ImageRecord Busybox(TestStore test, string name, string architecture = "amd64", string? marker = null)
    {
        string scratch = test.Scratch("image-" + Guid.NewGuid().ToString("N")[..8]);
        string rootfs = Support.Busybox.CreateRootfs(Path.Combine(scratch, "rootfs"));
        File.WriteAllText(Path.Combine(rootfs, "etc", "marker"), marker ?? architecture);
        string tarball = Path.Combine(scratch, "layer.tar.gz");
        Tool.Run("tar", "--numeric-owner", "--owner=0", "--group=0", "--sort=name", "--mtime=2024-01-01 00:00Z", "-C", rootfs, "-czf", tarball, ".");
        return Store(test.Location, name, File.ReadAllBytes(tarball), architecture);
    }

    public static ImageRecord Store(StoreLocation location, string name, byte[] gzipLayer, string architecture)
    {
        var store = new ImageStore(location);
        string diffId;
        using (var gunzip = new GZipStream(new MemoryStream(gzipLayer), CompressionMode.Decompress))
            diffId = Digest.FromHash(SHA256.HashData(gunzip));
        var layer = Put(store, gzipLayer, MediaTypes.OciLayerGzip);
        var config = Put(store, OciJson.Serialize(new ConfigFile
        {
            Created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Architecture = architecture,
            Os = "linux",
            Config = new RunConfig { Cmd = ["sh"], Env = ["PATH=/bin"] },
            RootFs = new RootFs { DiffIds = [diffId] },
        }, OciJsonContext.Default.ConfigFile), MediaTypes.OciConfig);
        var manifest = Put(store, OciJson.Serialize(new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = config,
            Layers = [layer],
        }, OciJsonContext.Default.Manifest), MediaTypes.OciManifest);
        return store.Register(manifest.Digest, [ImageReference.Parse(name)]);
    }

    private static Descriptor Put(ImageStore store, byte[] content, string mediaType) =>
        new() { MediaType = mediaType, Digest = store.Blobs.Put(new MemoryStream(content)), Size = content.Length };

    /// <summary>Every file under the store root except lock files: "unchanged" means this is equal before and after.</summary>
    public static List<string> Snapshot(StoreLocation location) =>
        Directory.Exists(location.Root)
            ? Directory.EnumerateFiles(location.Root, "*", SearchOption.AllDirectories)
                .Where(f => !f.StartsWith(location.LocksDirectory, StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(location.Root, f) + " " + new FileInfo(f).Length)
                .Order(StringComparer.Ordinal).ToList()
            : [];
}
