using System.Formats.Tar;
using System.Management.Automation;
using System.Text;
using ContainerTools.Core;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Archives;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>
/// Unusual and hostile layers beyond BadInputTests: each is unpacked as containerd would (checked in the tree) or
/// refused with an ErrorRecord of the right id, category and target, the store as it was.
/// </summary>
public sealed class HostileLayerTests : IDisposable
{
    private static readonly DateTimeOffset Earlier = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = new(2023, 6, 7, 8, 9, 10, TimeSpan.Zero);

    private readonly TestStore _store = new();
    private readonly string _scratch;
    private PowerShellSession? _ps;

    public HostileLayerTests() => _scratch = _store.Scratch("hostile");

    public void Dispose()
    {
        _ps?.Dispose();
        _store.Dispose();
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("0.1")]
    public void GnuTarPaxSparseFilesUnpackAsTheFilesTheyStandFor(string version)
    {
        string source = Directory.CreateDirectory(Path.Combine(_scratch, "source")).FullName;
        string sparse = Path.Combine(source, "lastlog");
        using (var file = File.Create(sparse))
        {
            file.SetLength(10 << 20);
            file.Position = 5_000_000;
            file.Write("hello"u8);
            file.Position = (10 << 20) - 3;
            file.Write("end"u8);
        }
        string tar = Path.Combine(_scratch, "sparse.tar");
        Tool.Run("tar", "-C", source, "--format=pax", "--sparse", "--sparse-version=" + version, "-cf", tar, "lastlog");

        string diff = Unpack(tar);

        Assert.Equal(["lastlog"], Directory.GetFileSystemEntries(diff).Select(Path.GetFileName)); // no GNUSparseFile.<pid>/ stand-in
        Assert.Equal(File.ReadAllBytes(sparse), File.ReadAllBytes(Path.Combine(diff, "lastlog")));
        Assert.True(long.Parse(Tool.Run("stat", "-c", "%b", Path.Combine(diff, "lastlog")).Trim()) * 512 < 1 << 20, "the holes stay holes");
    }

    [Theory]
    [InlineData("2\n4\n2\n0\n2\n", "abcd", "out of order")]
    [InlineData("1\n8\n4\n", "abcd", "beyond the file's size")]
    [InlineData("1\n0\n4\n", "ab", "covers 4 bytes but the entry holds 2")]
    [InlineData("1\nx\n", "", "not a list of numbers")]
    [InlineData("4\n0\n2\n", "ab", "not a list of numbers")] // the count says 4 segments, the map holds 1
    public void ADamagedSparseMapIsACorruptLayer(string map, string data, string why)
    {
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "damaged.tar"), w =>
        {
            byte[] mapBlock = new byte[512];
            Encoding.ASCII.GetBytes(map).CopyTo(mapBlock, 0);
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "GNUSparseFile.1/f", new Dictionary<string, string>
            {
                ["GNU.sparse.major"] = "1",
                ["GNU.sparse.minor"] = "0",
                ["GNU.sparse.name"] = "f",
                ["GNU.sparse.realsize"] = "8",
            }) { DataStream = new MemoryStream([.. mapBlock, .. Encoding.ASCII.GetBytes(data)]) });
        });
        var error = Assert.Throws<EngineException>(() => Unpack(tar));
        Assert.Equal("CorruptLayer", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void ADirectoryReplacedByAFileLeavesTheFileWithItsOwnTime()
    {
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "replaced.tar"), w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "x") { Mode = (UnixFileMode)0x1ed, ModificationTime = Earlier });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "x/sub") { Mode = (UnixFileMode)0x1ed, ModificationTime = Earlier });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "x") { Mode = (UnixFileMode)0x1a4, ModificationTime = Later, DataStream = new MemoryStream("file"u8.ToArray()) });
        });

        string diff = Unpack(tar);

        Assert.Equal("file", File.ReadAllText(Path.Combine(diff, "x")));
        Assert.Equal(Later.UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(diff, "x")));
    }

    [Fact]
    public void XattrsOfANamespaceLinuxLacksAreLeftOutAsDockerLeavesThemOut()
    {
        // What bsdtar on a Mac writes: com.apple.* xattrs, in SCHILY (GNU) and LIBARCHIVE (base64) spelling.
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "mac.tar"), w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "file", new Dictionary<string, string>
            {
                ["SCHILY.xattr.com.apple.provenance"] = "\u0001\u0002",
                ["LIBARCHIVE.xattr.com.apple.quarantine"] = Convert.ToBase64String("0081;6534b123;Safari;"u8),
                ["SCHILY.xattr.user.kept"] = "yes",
            }) { DataStream = new MemoryStream("content"u8.ToArray()), Mode = (UnixFileMode)0x1a4 });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "fifo", new Dictionary<string, string> { ["SCHILY.xattr.com.apple.provenance"] = "x" }) { Mode = (UnixFileMode)0x1a4 });
        });

        string diff = Unpack(tar);

        Assert.Equal("content", File.ReadAllText(Path.Combine(diff, "file")));
        Assert.Equal("yes", FileTree.Xattr(Path.Combine(diff, "file"), "user.kept"));
        Assert.StartsWith("fifo", FileTree.Stat(Path.Combine(diff, "fifo")));
    }

    [Fact]
    public void AufsMetadataIsLeftOutAndHardLinksIntoItsLinkDirectoryKeepTheirContent()
    {
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "aufs.tar"), w =>
        {
            w.AddDirectory(".wh..wh.plnk");
            w.AddFile(".wh..wh.aufs", "");
            w.AddDirectory(".wh..wh.orph");
            w.AddFile(".wh..wh.plnk/123.456", "linked");
            w.AddDirectory("bin");
            w.AddLink(TarEntryType.HardLink, "bin/tool", ".wh..wh.plnk/123.456");
        });

        string diff = Unpack(tar);

        Assert.Equal(["bin"], Directory.GetFileSystemEntries(diff).Select(Path.GetFileName));
        Assert.Equal("linked", File.ReadAllText(Path.Combine(diff, "bin", "tool")));
    }

    [Fact]
    public void AnOpaqueMarkerInASymlinkedDirectoryMarksTheDirectoryItLeadsTo()
    {
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "opaque.tar"), w =>
        {
            w.AddDirectory("real");
            w.AddLink(TarEntryType.SymbolicLink, "link", "real");
            w.AddFile("link/.wh..wh..opq", "");
        });

        string diff = Unpack(tar);

        Assert.Equal("y", FileTree.Xattr(Path.Combine(diff, "real"), "trusted.overlay.opaque"));
        Assert.Null(FileTree.Xattr(diff, "trusted.overlay.opaque"));
    }

    [Fact]
    public void AZstdLayerThatOpensWithASkippableFrameIsZstd()
    {
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "rootfs.tar"), w => w.AddFile("hello", "world"));
        Tool.Run("zstd", "-q", tar, "-o", tar + ".zst");
        string framed = Path.Combine(_scratch, "framed.tar.zst");
        File.WriteAllBytes(framed, [0x5e, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, .. "skip"u8, .. File.ReadAllBytes(tar + ".zst")]);

        var image = ImageImporter.Import(_store.Location, framed, ImageReference.Parse("framed:1")).Single().Image;

        string layer = new ImageStore(_store.Location).LayerDirectory(image.Layers.Single().ChainId);
        Assert.Equal("world", File.ReadAllText(Path.Combine(layer, "hello")));
    }

    [Fact]
    public void AnOldGnuSparseEntryIsInvalidDataNotACrash()
    {
        string source = Directory.CreateDirectory(Path.Combine(_scratch, "source")).FullName;
        using (var file = File.Create(Path.Combine(source, "holes")))
        {
            file.SetLength(1 << 20);
            file.Write("start"u8);
        }
        string tar = Path.Combine(_scratch, "gnu-sparse.tar");
        Tool.Run("tar", "-C", source, "--format=gnu", "--sparse", "-cf", tar, "holes");

        AssertRejected($"Import-ContainerImage -Path '{tar}' -Name sparse:1", "CorruptArchive", ErrorCategory.InvalidData, tar);
        string layout = ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [tar]);
        AssertRejected($"Import-ContainerImage -Path '{layout}'", "CorruptLayer", ErrorCategory.InvalidData, LayerDigest(tar));
    }

    [Theory]
    [InlineData("mtime:=99999999999999")] // beyond the year 9999
    [InlineData("mtime:=-99999999999")] // before the year 1
    [InlineData("uid:=4294967295")] // beyond an int
    public void AHeaderTarReaderCannotTakeIsInvalidDataNotACrash(string paxOption)
    {
        string source = Directory.CreateDirectory(Path.Combine(_scratch, "source")).FullName;
        File.WriteAllText(Path.Combine(source, "file"), "x");
        string tar = Path.Combine(_scratch, "odd-header.tar");
        Tool.Run("tar", "-C", source, "--format=pax", "--pax-option=" + paxOption, "-cf", tar, "file");

        AssertRejected($"Import-ContainerImage -Path '{tar}' -Name odd:1", "CorruptArchive", ErrorCategory.InvalidData, tar);
        string layout = ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [tar]);
        AssertRejected($"Import-ContainerImage -Path '{layout}'", "CorruptLayer", ErrorCategory.InvalidData, LayerDigest(tar));
    }

    [Theory]
    [InlineData(256, 1)] // one name longer than a file system allows
    [InlineData(200, 25)] // a directory path longer than PATH_MAX
    public void ANameTooLongForLinuxIsInvalidData(int componentLength, int components)
    {
        string name = string.Join('/', Enumerable.Repeat(new string('n', componentLength), components));
        RejectLayer(w => w.AddFile(name, "x"), "InvalidLayerEntry");
    }

    [Fact]
    public void APathThroughASymlinkLoopIsInvalidData() =>
        RejectLayer(w =>
        {
            w.AddLink(TarEntryType.SymbolicLink, "a", "b");
            w.AddLink(TarEntryType.SymbolicLink, "b", "a");
            w.AddFile("a/x", "x");
        }, "InvalidLayerEntry");

    [Fact]
    public void AHardLinkToADirectoryIsInvalidData() =>
        RejectLayer(w =>
        {
            w.AddDirectory("dir");
            w.AddLink(TarEntryType.HardLink, "link", "dir");
        }, "InvalidHardLink");

    [Fact]
    public void AHardLinkThroughASymlinkToOutsideIsTheSameSecurityErrorAsAFile()
    {
        InitSession();
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "escape.tar"), w =>
        {
            w.AddLink(TarEntryType.SymbolicLink, "host", "/etc");
            w.AddLink(TarEntryType.HardLink, "passwd", "host/passwd");
        });
        AssertRejected($"Import-ContainerImage -Path '{tar}' -Name escape:1", "LayerEntryEscapesRoot", ErrorCategory.SecurityError, "passwd");
    }

    private string Unpack(string tar)
    {
        string diff = Directory.CreateDirectory(Path.Combine(_scratch, "diff-" + Guid.NewGuid().ToString("N"))).FullName;
        using var stream = File.OpenRead(tar);
        LayerUnpacker.Unpack(stream, diff, "test-layer");
        return diff;
    }

    /// <summary>A layer of an OCI layout made by <paramref name="write"/>: refused as InvalidData naming the layer, the store as it was.</summary>
    private void RejectLayer(Action<TarWriter> write, string errorId)
    {
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "layer.tar"), write);
        string layout = ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [tar]);
        AssertRejected($"Import-ContainerImage -Path '{layout}'", errorId, ErrorCategory.InvalidData, LayerDigest(tar));
    }

    private static string LayerDigest(string tar) => ImageFixtures.Sha256(File.ReadAllBytes(tar));

    /// <summary>A session over a store that holds an image already, so "as it was" is not just "empty".</summary>
    private PowerShellSession InitSession()
    {
        if (_ps is null)
        {
            _ps = Busybox.Session(_store);
        }
        return _ps;
    }

    private void AssertRejected(string script, string errorId, ErrorCategory category, object target)
    {
        var ps = InitSession();
        string before = ImageFixtures.Snapshot(_store.Location.Root);
        var error = Assert.Single(ps.Invoke(script).AllErrors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Equal(before, ImageFixtures.Snapshot(_store.Location.Root));
    }
}
