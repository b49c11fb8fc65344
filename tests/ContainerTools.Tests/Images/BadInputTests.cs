using System.Formats.Tar;
using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>
/// Bad and hostile input, each on a real crafted archive: an ErrorRecord with a stable id, the right category and
/// the target, and a store exactly as it was (compared file by file with one imported before).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;
    private readonly string _scratch;
    private readonly string _outside;

    public BadInputTests()
    {
        _ps = Busybox.Session(_store);
        _scratch = _store.Scratch("bad");
        _outside = _store.Scratch("outside");
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    /// <summary>Runs <paramref name="script"/>, expects exactly one error like the given one, and an unchanged store.</summary>
    private ErrorRecord AssertRejected(string script, string errorId, ErrorCategory category, object? target = null)
    {
        string before = ImageFixtures.Snapshot(_store.Location.Root);
        var result = _ps.Invoke(script);
        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        if (target is not null)
            Assert.Equal(target, error.TargetObject);
        Assert.Equal(before, ImageFixtures.Snapshot(_store.Location.Root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
        return error;
    }

    private string ImportEvil(Action<TarWriter> write)
    {
        string tar = ImageFixtures.Tar(Path.Combine(_scratch, "evil.tar"), w =>
        {
            w.AddDirectory("etc");
            w.AddFile("etc/hostname", "fine\n");
            write(w);
        });
        return $"Import-ContainerImage -Path '{tar}' -Name evil:1";
    }

    [Fact]
    public void ADotDotPathIsASecurityError() =>
        AssertRejected(ImportEvil(w => w.AddFile("etc/../../outside/evil", "x")), "LayerEntryEscapesRoot", ErrorCategory.SecurityError, "etc/../../outside/evil");

    [Fact]
    public void AnAbsolutePathIsASecurityError() =>
        AssertRejected(ImportEvil(w => w.AddFile(_outside + "/evil", "x")), "LayerEntryEscapesRoot", ErrorCategory.SecurityError);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WritingThroughASymlinkToOutsideIsASecurityError(bool absolute)
    {
        string target = absolute ? _outside : "../../../../../../../../../../.." + _outside;
        AssertRejected(ImportEvil(w =>
        {
            w.AddLink(TarEntryType.SymbolicLink, "escape", target);
            w.AddFile("escape/evil", "x");
        }), "LayerEntryEscapesRoot", ErrorCategory.SecurityError, "escape/evil");
    }

    [Theory]
    [InlineData("../../../../../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    public void AHardLinkToOutsideIsASecurityError(string target) =>
        AssertRejected(ImportEvil(w => w.AddLink(TarEntryType.HardLink, "etc/passwd", target)), "LayerEntryEscapesRoot", ErrorCategory.SecurityError, "etc/passwd");

    [Fact]
    public void AWhiteoutOfDotDotIsASecurityError() =>
        AssertRejected(ImportEvil(w => w.AddFile("etc/.wh..", "")), "LayerEntryEscapesRoot", ErrorCategory.SecurityError, "etc/.wh..");

    [Fact]
    public void ATruncatedArchiveIsInvalidData()
    {
        string good = Path.Combine(_scratch, "good.tar");
        _ps.Run($"Export-ContainerImage busybox '{good}'");
        byte[] bytes = File.ReadAllBytes(good);
        string truncated = Path.Combine(_scratch, "truncated.tar");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        AssertRejected($"Import-ContainerImage -Path '{truncated}' -Name cut:1", "CorruptArchive", ErrorCategory.InvalidData, truncated);
    }

    [Fact]
    public void ATruncatedRootfsTarballIsInvalidData()
    {
        byte[] bytes = File.ReadAllBytes(Busybox.CreateRootfsTarball(_store.Scratch("cut")));
        string truncated = Path.Combine(_scratch, "truncated.tar.gz");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        AssertRejected($"Import-ContainerImage -Path '{truncated}' -Name cut:1", "CorruptArchive", ErrorCategory.InvalidData);
    }

    [Fact]
    public void ABlobWhoseBytesDoNotMatchItsDigestIsInvalidData()
    {
        string layout = ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [Layer("one")]);
        string blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Single(f => new FileInfo(f).Length > 1000);
        byte[] bytes = File.ReadAllBytes(blob);
        bytes[600] ^= 0xff;
        File.WriteAllBytes(blob, bytes);
        AssertRejected($"Import-ContainerImage -Path '{layout}'", "BlobDigestMismatch", ErrorCategory.InvalidData, "sha256:" + Path.GetFileName(blob));
    }

    [Fact]
    public void AMissingBlobIsInvalidData()
    {
        string layout = ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [Layer("one")]);
        string blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Single(f => new FileInfo(f).Length > 1000);
        File.Delete(blob);
        AssertRejected($"Import-ContainerImage -Path '{layout}'", "ArchiveBlobMissing", ErrorCategory.InvalidData, "sha256:" + Path.GetFileName(blob));
    }

    [Fact]
    public void AnUnknownLayerMediaTypeIsInvalidData() =>
        AssertRejected($"Import-ContainerImage -Path '{ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [Layer("one")], tamperManifest: m => m.Replace("application/vnd.oci.image.layer.v1.tar", "application/x-floppy-disk"))}'",
            "UnknownMediaType", ErrorCategory.InvalidData);

    [Fact]
    public void AnAbsurdDeclaredSizeIsInvalidData() =>
        AssertRejected($"Import-ContainerImage -Path '{ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [Layer("one")], tamperManifest: m => System.Text.RegularExpressions.Regex.Replace(m, "\"size\":(\\d{4,})", "\"size\":9223372036854775000"))}'",
            "BlobSizeMismatch", ErrorCategory.InvalidData);

    [Fact]
    public void AConfigWhoseDiffIdsDoNotMatchTheLayersIsInvalidData() =>
        AssertRejected($"Import-ContainerImage -Path '{ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [Layer("one")], tamperConfig: c => System.Text.RegularExpressions.Regex.Replace(c, "sha256:[0-9a-f]{64}", "sha256:" + new string('0', 64)))}'",
            "LayerDiffIdMismatch", ErrorCategory.InvalidData);

    [Fact]
    public void AMalformedManifestIsInvalidData() =>
        AssertRejected($"Import-ContainerImage -Path '{ImageFixtures.OciLayout(Path.Combine(_scratch, "layout"), [Layer("one")], tamperManifest: m => m[..^5])}'",
            "InvalidImageDocument", ErrorCategory.InvalidData);

    [Theory]
    [InlineData("Import-ContainerImage -Path '{0}' -Name 'Bad/Name:1'", "Bad/Name:1")]
    [InlineData("Import-ContainerImage -Path '{0}' -Name 'ok:-tag'", "ok:-tag")]
    [InlineData("Add-ContainerImageTag busybox 'other:.x'", "other:.x")]
    public void InvalidNamesAndTagsAreInvalidArguments(string script, string target) =>
        AssertRejected(string.Format(System.Globalization.CultureInfo.InvariantCulture, script, Layer("n")), "InvalidImageReference", ErrorCategory.InvalidArgument, target);

    [Fact]
    public void AMissingFileIsNotFound()
    {
        string missing = Path.Combine(_scratch, "nothing-here.tar");
        AssertRejected($"Import-ContainerImage -Path '{missing}' -Name x:1", "ArchiveNotFound", ErrorCategory.ObjectNotFound, missing);
    }

    /// <summary>A small uncompressed layer tar with a file big enough to tell its blob from the JSON documents.</summary>
    private string Layer(string name) => ImageFixtures.Tar(Path.Combine(_scratch, name + ".tar"), w =>
    {
        w.AddDirectory("data");
        w.AddFile("data/" + name, new string('x', 4000));
    });
}
