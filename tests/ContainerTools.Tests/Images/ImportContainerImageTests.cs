using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Images;

/// <summary>Import-ContainerImage of every format real tools write, through the real PowerShell engine.</summary>
public sealed class ImportContainerImageTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public ImportContainerImageTests() => _ps = new PowerShellSession(_store);

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    private PSObject Import(string path, string? name = null) =>
        _ps.Run(name is null ? $"Import-ContainerImage -Path '{path}'" : $"Import-ContainerImage -Path '{path}' -Name '{name}'").Single();

    [Theory]
    [InlineData("gzip", "-czf")]
    [InlineData("zstd", "--zstd -cf")]
    [InlineData("none", "-cf")]
    public void ARootfsTarballBecomesAOneLayerImageWithItsFiles(string compression, string tarFlags)
    {
        string rootfs = Busybox.CreateRootfs(_store.Scratch("rootfs"));
        string tarball = Path.Combine(_store.Scratch("in"), "rootfs." + compression);
        Tool.Run("tar", ["--numeric-owner", "-C", rootfs, .. tarFlags.Split(' '), tarball, "."], stdin: null);

        var image = Import(tarball, "myfs:" + compression);

        Assert.Equal("myfs:" + compression, image.Text("Name"));
        Assert.Equal("docker.io/library/myfs:" + compression, image.Text("FullName"));
        Assert.Single(image.Layers());
        Assert.Equal("linux", image.Text("Os"));
        Assert.Equal("amd64", image.Text("Architecture"));
        Assert.StartsWith("sha256:", image.Text("Id"));
        string diff = Path.Combine(_store.Location.LayersDirectory, image.Layers()[0].ChainId[7..], "diff");
        Assert.Equal(File.ReadAllBytes(Busybox.Binary), File.ReadAllBytes(Path.Combine(diff, "bin", "busybox")));
        Assert.Equal("busybox", new FileInfo(Path.Combine(diff, "bin", "sh")).LinkTarget);
        Assert.True(image.Get<long>("Size") >= new FileInfo(Busybox.Binary).Length);
    }

    [Fact]
    public void ARootfsTarballWithoutANameIsAnInvalidArgument()
    {
        string tarball = Busybox.CreateRootfsTarball(_store.Scratch("in"));
        var result = _ps.Invoke($"Import-ContainerImage -Path '{tarball}'");
        var error = Assert.Single(result.Errors);
        Assert.Equal("NameRequired,ContainerTools.Cmdlets.ImportContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(tarball, error.TargetObject);
    }

    [Fact]
    public void SkopeoOciLayoutDirectoryAndArchiveAndDockerArchiveAllImportWithTheSameId()
    {
        var source = Import(Busybox.CreateRootfsTarball(_store.Scratch("in")), "source:1");
        string scratch = _store.Scratch("skopeo");
        _ps.Run($"Export-ContainerImage source:1 '{scratch}/ours.tar'");
        Tool.Run("skopeo", "copy", $"oci-archive:{scratch}/ours.tar", $"oci:{scratch}/layout:v1");
        Tool.Run("skopeo", "copy", $"oci-archive:{scratch}/ours.tar", $"oci-archive:{scratch}/skopeo-oci.tar:docker.io/team/fromarchive:2");
        Tool.Run("skopeo", "copy", $"oci-archive:{scratch}/ours.tar", $"docker-archive:{scratch}/docker.tar:team/fromdocker:3");

        var fromLayout = Import($"{scratch}/layout", "fromlayout:1");
        var fromArchive = Import($"{scratch}/skopeo-oci.tar");
        var fromDocker = Import($"{scratch}/docker.tar");

        Assert.Equal("fromlayout:1", fromLayout.Text("Name"));
        Assert.Equal("team/fromarchive:2", fromArchive.Text("Name"));
        Assert.Equal("team/fromdocker:3", fromDocker.Text("Name"));
        Assert.All(new[] { fromLayout, fromArchive, fromDocker }, image => Assert.Equal(source.Text("Id"), image.Text("Id")));
        Assert.Equal(source.Text("ManifestDigest"), fromLayout.Text("ManifestDigest"));
        Assert.Equal(source.Config().Env, fromDocker.Config().Env);
        // skopeo's docker-archive holds the layer uncompressed: another blob, the same unpacked layer directory.
        Assert.Equal(source.Layers()[0].ChainId, fromDocker.Layers()[0].ChainId);
        Assert.Single(Directory.GetDirectories(_store.Location.LayersDirectory));
    }

    [Fact]
    public void ALayerAlreadyInTheStoreIsNotStoredAgain()
    {
        string tarball = Busybox.CreateRootfsTarball(_store.Scratch("in"));
        var first = Import(tarball, "one:1");
        string layer = Path.Combine(_store.Location.LayersDirectory, first.Layers()[0].ChainId[7..], "diff", "bin", "busybox");
        var inode = new FileInfo(layer).LastWriteTimeUtc;
        string marker = Path.Combine(_store.Location.LayersDirectory, first.Layers()[0].ChainId[7..], "diff", "marker");
        File.WriteAllText(marker, "left by the test: a re-unpack would remove it");

        var second = Import(tarball, "two:2");

        Assert.Equal(first.Layers()[0].ChainId, second.Layers()[0].ChainId);
        Assert.True(File.Exists(marker));
        Assert.Single(Directory.GetDirectories(_store.Location.LayersDirectory));
        Assert.Equal(inode, new FileInfo(layer).LastWriteTimeUtc);
    }

    [Fact]
    public void ProgressIsWrittenAndPipedPathsImportEach()
    {
        string a = Busybox.CreateRootfsTarball(_store.Scratch("a"), "a.tar.gz");
        var result = _ps.Invoke($"[IO.FileInfo]::new('{a}') | Import-ContainerImage -Name piped:1");
        result.ThrowIfFailed("import");
        Assert.Single(result.Output);
        Assert.NotEmpty(result.Progress);
    }
}
