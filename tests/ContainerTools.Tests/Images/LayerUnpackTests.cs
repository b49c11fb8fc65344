using System.Formats.Tar;
using System.Runtime.InteropServices;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Archives;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Layers applied as overlayfs reads them: real archives, real overlay mounts, exact trees.</summary>
public sealed partial class LayerUnpackTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void AThreeLayerUmociImageMountedWithOverlayShowsExactlyTheFinalTree()
    {
        string work = _store.Scratch("umoci");
        string layout = Path.Combine(work, "layout");
        string bundle = Path.Combine(work, "bundle");
        Tool.Run("umoci", "init", "--layout", layout);
        Tool.Run("umoci", "new", "--image", layout + ":t");
        // Layer 1: files, a directory tree, links, a fifo, a device, odd modes and owners, an xattr.
        Layer(layout, bundle, rootfs =>
        {
            Sh(rootfs, "mkdir -p a d/sub o && echo keep > a/keep && echo del > a/del && echo old > a/replace && " +
                       "echo x > d/x && echo y > d/sub/y && echo 1 > o/1 && echo 2 > o/2 && ln -s a/keep lnk && ln a/keep a/hard && " +
                       "mkfifo fifo && mknod null c 1 3 && chown 1000:1001 a/keep && chmod 0640 a/keep && chmod 4755 o/2");
            FileTree.SetXattr(Path.Combine(rootfs, "a", "keep"), "user.origin", "layer1");
        });
        // Layer 2: delete, replace, delete a whole directory and re-create it with other content.
        Layer(layout, bundle, rootfs => Sh(rootfs, "rm a/del && echo new > a/replace && rm -rf d && mkdir d && echo z > d/z && rm o/1 && chmod 0600 a/keep"));
        // Layer 3: re-create a deleted file, replace a symlink by another, a file by a directory.
        Layer(layout, bundle, rootfs => Sh(rootfs, "echo back > a/del && rm lnk && ln -s /a/replace lnk && rm o/2 && mkdir o/2 && echo in > o/2/f"));
        string expected = Path.Combine(work, "expected");
        Tool.Run("umoci", "unpack", "--image", layout + ":t", expected);

        var image = ImageImporter.Import(_store.Location, layout, ImageReference.Parse("three:layers")).Single().Image;

        Assert.Equal(3, image.Layers.Count);
        var store = new ImageStore(_store.Location);
        string merged = Mount(image.Layers.Reverse().Select(l => store.LayerDirectory(l.ChainId)));
        Assert.Equal(FileTree.Describe(Path.Combine(expected, "rootfs")), FileTree.Describe(merged));
        Assert.Equal("back\n", File.ReadAllText(Path.Combine(merged, "a", "del")));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(merged, "a", "replace")));
        Assert.Equal(["z"], Directory.GetFileSystemEntries(Path.Combine(merged, "d")).Select(Path.GetFileName));
        Assert.Equal("layer1", FileTree.Xattr(Path.Combine(merged, "a", "keep"), "user.origin"));
        Assert.StartsWith("character special file|0|0|0|0|0", FileTree.Stat(Path.Combine(store.LayerDirectory(image.Layers[1].ChainId), "a", "del")));
    }

    [Fact]
    public void EveryKindOfEntryKeepsItsMetadataAndOpaqueDirectoriesHideTheLowerLayer()
    {
        string scratch = _store.Scratch("craft");
        var mtime = new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.Zero);
        string lower = ImageFixtures.Tar(Path.Combine(scratch, "lower.tar"), w =>
        {
            w.AddDirectory("opaque");
            w.AddFile("opaque/old", "old");
            w.AddFile("gone", "gone");
        });
        string upper = ImageFixtures.Tar(Path.Combine(scratch, "upper.tar"), w =>
        {
            w.AddDirectory("opaque");
            w.AddFile("opaque/.wh..wh..opq", "");
            w.AddFile("opaque/new", "new");
            w.AddFile(".wh.gone", "");
            var file = new PaxTarEntry(TarEntryType.RegularFile, "bin/suid", new Dictionary<string, string> { ["SCHILY.xattr.user.note"] = "hello" })
            {
                DataStream = new MemoryStream("#!/bin/sh\n"u8.ToArray()),
                Mode = (UnixFileMode)0xded, // 06755
                Uid = 1234,
                Gid = 5678,
                ModificationTime = mtime,
            };
            w.WriteEntry(file);
            w.AddLink(TarEntryType.HardLink, "bin/hard", "bin/suid");
            w.AddLink(TarEntryType.SymbolicLink, "bin/abs", "/etc/passwd");
            w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0x1b6, ModificationTime = mtime });
            w.WriteEntry(new PaxTarEntry(TarEntryType.BlockDevice, "dev/loop9") { DeviceMajor = 7, DeviceMinor = 9, Mode = (UnixFileMode)0x1b0, ModificationTime = mtime });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "run/fifo") { Mode = (UnixFileMode)0x180, ModificationTime = mtime });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "run") { Mode = (UnixFileMode)0x1ff, ModificationTime = mtime }); // after its child: its time must survive
        });
        string layout = ImageFixtures.OciLayout(Path.Combine(scratch, "layout"), [lower, upper]);

        var image = ImageImporter.Import(_store.Location, layout, null).Single().Image;

        var store = new ImageStore(_store.Location);
        string diff = store.LayerDirectory(image.Layers[1].ChainId);
        long seconds = mtime.ToUnixTimeSeconds();
        Assert.Equal($"regular file|6755|1234|5678|0|0|{seconds}", FileTree.Stat(Path.Combine(diff, "bin", "suid")));
        Assert.Equal("hello", FileTree.Xattr(Path.Combine(diff, "bin", "suid"), "user.note"));
        Assert.Equal(Inode(Path.Combine(diff, "bin", "suid")), Inode(Path.Combine(diff, "bin", "hard")));
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(diff, "bin", "abs")).LinkTarget);
        Assert.Equal($"character special file|666|0|0|1|3|{seconds}", FileTree.Stat(Path.Combine(diff, "dev", "null")));
        Assert.Equal($"block special file|660|0|0|7|9|{seconds}", FileTree.Stat(Path.Combine(diff, "dev", "loop9")));
        Assert.Equal($"fifo|600|0|0|0|0|{seconds}", FileTree.Stat(Path.Combine(diff, "run", "fifo")));
        Assert.Equal($"directory|777|0|0|0|0|{seconds}", FileTree.Stat(Path.Combine(diff, "run")));
        Assert.Equal("y", FileTree.Xattr(Path.Combine(diff, "opaque"), "trusted.overlay.opaque"));
        Assert.False(File.Exists(Path.Combine(diff, "opaque", ".wh..wh..opq")));
        Assert.StartsWith("character special file|0|0|0|0|0", FileTree.Stat(Path.Combine(diff, "gone")));

        string merged = Mount(image.Layers.Reverse().Select(l => store.LayerDirectory(l.ChainId)));
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(merged, "opaque")).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(merged, "gone")));
    }

    /// <summary>
    /// The unpacker leaves out chown and chmod when creation already gives owner and mode: a set-gid directory
    /// (whose new files take its group and new directories its set-gid bit), a mode the umask would cut, and a name
    /// written twice must still come out exact.
    /// </summary>
    [Fact]
    public void OwnersAndModesAreExactWhereCreationAloneWouldGetThemWrong()
    {
        string scratch = _store.Scratch("owners");
        string tar = ImageFixtures.Tar(Path.Combine(scratch, "layer.tar"), w =>
        {
            w.AddFile("late/before", "listed before its set-gid directory");
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "late") { Mode = (UnixFileMode)0x5fd, Gid = 50 }); // 02775
            w.AddFile("late/after", "after");
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "shared") { Mode = (UnixFileMode)0x5fd, Gid = 50 });
            w.AddFile("shared/root", "root's");
            w.AddFile("shared/staff", "staff's", gid: 50);
            w.AddLink(TarEntryType.SymbolicLink, "shared/link", "root");
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "shared/plain") { Mode = (UnixFileMode)0x1ed, Gid = 50 }); // 0755: mkdir would add set-gid
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "open") { Mode = (UnixFileMode)0x1ff }); // 0777: a umask of 022 would cut it
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "private") { Mode = (UnixFileMode)0x1c0 }); // 0700: creation gives it all
            w.AddFile("wide", "group and others may write", mode: 0x1b6); // 0666: a umask of 022 would cut it
            w.AddLink(TarEntryType.SymbolicLink, "twice", "wide");
            w.AddFile("twice", "a file replaces the link", uid: 1000, gid: 1001);
        });
        string layout = ImageFixtures.OciLayout(Path.Combine(scratch, "layout"), [tar]);

        var image = ImageImporter.Import(_store.Location, layout, null).Single().Image;

        string diff = new ImageStore(_store.Location).LayerDirectory(image.Layers[0].ChainId);
        string Owner(string path) => Tool.Run("stat", "-c", "%a|%u|%g", Path.Combine(diff, path)).Trim();
        Assert.Equal("2775|0|50", Owner("late"));
        Assert.Equal("644|0|0", Owner("late/before"));
        Assert.Equal("644|0|0", Owner("late/after"));
        Assert.Equal("644|0|0", Owner("shared/root"));
        Assert.Equal("644|0|50", Owner("shared/staff"));
        Assert.Equal("777|0|0", Owner("shared/link"));
        Assert.Equal("755|0|50", Owner("shared/plain"));
        Assert.Equal("777|0|0", Owner("open"));
        Assert.Equal("700|0|0", Owner("private"));
        Assert.Equal("666|0|0", Owner("wide"));
        Assert.Equal("644|1000|1001", Owner("twice"));
        Assert.Equal("a file replaces the link", File.ReadAllText(Path.Combine(diff, "twice")));
    }

    private static void Layer(string layout, string bundle, Action<string> change)
    {
        if (Directory.Exists(bundle))
            Directory.Delete(bundle, recursive: true);
        Tool.Run("umoci", "unpack", "--image", layout + ":t", bundle);
        change(Path.Combine(bundle, "rootfs"));
        Tool.Run("umoci", "repack", "--image", layout + ":t", bundle);
    }

    private static void Sh(string directory, string script) => Tool.Run("sh", "-c", $"cd '{directory}' && {script}");

    /// <summary>A read-only overlay of <paramref name="lowerTopFirst"/> (as the runtime will mount it), unmounted by TestStore.</summary>
    private string Mount(IEnumerable<string> lowerTopFirst)
    {
        string target = _store.Scratch("merged");
        int result = MountOverlay("overlay", target, "overlay", 1 /* MS_RDONLY */, "lowerdir=" + string.Join(':', lowerTopFirst));
        Assert.True(result == 0, $"mount overlay failed: errno {Marshal.GetLastPInvokeError()}");
        return target;
    }

    private static long Inode(string path) => long.Parse(Tool.Run("stat", "-c", "%i", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountOverlay(string source, string target, string type, ulong flags, string data);
}
