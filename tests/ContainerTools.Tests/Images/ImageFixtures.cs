using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Image archives made by the tests: crafted tars (System.Formats.Tar), OCI layouts from them, and real tools' output.</summary>
public static class ImageFixtures
{
    /// <summary>A tar written entry by entry (for layers no honest tool would make).</summary>
    public static string Tar(string path, Action<TarWriter> write)
    {
        using (var file = File.Create(path))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
            write(writer);
        return path;
    }

    /// <summary>
    /// What an import killed after storing a layer's blob and unpacking it, before naming its image, leaves: a blob
    /// and an unpacked layer no image references. Returns the blob's digest and the layer's chain ID.
    /// </summary>
    public static (string Blob, string ChainId) UnreferencedLayer(ContainerTools.Core.Images.ImageStore images, TestStore store)
    {
        string tar = Tar(Path.Combine(store.Scratch("unreferenced"), "layer.tar"), w => w.AddFile("left/behind", "by a killed import"));
        string blob;
        using (var content = File.OpenRead(tar))
            blob = images.Blobs.Put(content);
        using var stored = images.Blobs.OpenRead(blob);
        var layer = images.Layers.Stage(stored, blob);
        string chainId = ContainerTools.Core.Images.Digest.Chain(null, layer.DiffId);
        images.Layers.Commit(layer, chainId);
        return (blob, chainId);
    }

    public static void AddFile(this TarWriter writer, string name, string content, int mode = 0x1a4, int uid = 0, int gid = 0)
    {
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = (UnixFileMode)mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
        });
    }

    public static void AddDirectory(this TarWriter writer, string name, int mode = 0x1ed) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)mode, ModificationTime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero) });

    public static void AddLink(this TarWriter writer, TarEntryType type, string name, string target) =>
        writer.WriteEntry(new PaxTarEntry(type, name) { LinkName = target, Mode = (UnixFileMode)0x1ff });

    /// <summary>
    /// An OCI image layout directory holding one image made of <paramref name="layers"/> (uncompressed tars), as
    /// skopeo's oci: writes it; <paramref name="tamper"/> may change documents before they are written.
    /// </summary>
    public static string OciLayout(string directory, IReadOnlyList<string> layers, string refName = "docker.io/library/crafted:1",
        Func<string, string>? tamperManifest = null, Func<string, string>? tamperConfig = null)
    {
        string blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var layerDescriptors = new List<string>();
        var diffIds = new List<string>();
        foreach (string layer in layers)
        {
            byte[] bytes = File.ReadAllBytes(layer);
            string digest = Put(blobs, bytes);
            diffIds.Add($"\"{digest}\"");
            layerDescriptors.Add($"{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{digest}\",\"size\":{bytes.Length}}}");
        }
        string config = $"{{\"created\":\"2024-01-02T03:04:05Z\",\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/bin/sh\"]}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{string.Join(',', diffIds)}]}}}}";
        config = tamperConfig?.Invoke(config) ?? config;
        byte[] configBytes = Encoding.UTF8.GetBytes(config);
        string configDigest = Put(blobs, configBytes);
        string manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{configBytes.Length}}},\"layers\":[{string.Join(',', layerDescriptors)}]}}";
        manifest = tamperManifest?.Invoke(manifest) ?? manifest;
        byte[] manifestBytes = Encoding.UTF8.GetBytes(manifest);
        string manifestDigest = Put(blobs, manifestBytes);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(directory, "index.json"),
            $"{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{manifestDigest}\",\"size\":{manifestBytes.Length},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"{refName}\"}}}}]}}");
        return directory;
    }

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Content(string path)
    {
        try
        {
            return Sha256(File.ReadAllBytes(path));
        }
        catch (IOException)
        {
            return "special"; // a device node (overlay whiteout): its presence is what counts
        }
    }

    private static string Put(string blobs, byte[] bytes)
    {
        string digest = Sha256(bytes);
        File.WriteAllBytes(Path.Combine(blobs, digest[7..]), bytes);
        return digest;
    }

    /// <summary>A tar of a directory's content (an oci-archive from an OCI layout dir, for example), made with tar.</summary>
    public static string TarOf(string directory, string tarball)
    {
        Tool.Run("tar", "-C", directory, "-cf", tarball, ".");
        return tarball;
    }

    /// <summary>
    /// Every file of a store (path, kind, content hash), locks and empty directories aside: equal snapshots
    /// mean the store is exactly as it was.
    /// </summary>
    public static string Snapshot(string root)
    {
        if (!Directory.Exists(root))
            return "";
        var lines = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string relative = Path.GetRelativePath(root, path);
            if (relative.StartsWith("locks", StringComparison.Ordinal))
                continue;
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
                lines.Add($"{relative} -> {info.LinkTarget}");
            else if (File.Exists(path))
                lines.Add($"{relative} {Content(path)}");
            else if (Directory.EnumerateFileSystemEntries(path).Any())
                lines.Add(relative + "/");
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }
}
