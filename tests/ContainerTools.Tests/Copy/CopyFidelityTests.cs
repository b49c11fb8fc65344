using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Copy;

/// <summary>
/// Copy-ContainerItem and Export-Container as faithful as docker cp and docker export: a source link copied as a
/// link unless -FollowLink, and archives with hard links, owner names and sub-second times; never reading or
/// writing outside the container's root or the path the user named.
/// </summary>
public sealed class CopyFidelityTests : BusyboxSessionTest
{
    private readonly string _host;

    public CopyFidelityTests()
    {
        Ps.Run("New-Container busybox -Name web -Network none -Start -- sleep 300 | Out-Null");
        _host = Store.Scratch("host");
    }

    private string Exec(string script) => ExecIn("web", script);

    [Fact]
    public void ACopyOutOfALinkCopiesTheLinkAndFollowLinkItsTargetInsideTheRoot()
    {
        // The link names an absolute path that exists on the host too, with other content: followed, it must be
        // the container's file.
        string shared = Store.Scratch("shared");
        File.WriteAllText(Path.Combine(shared, "secret"), "the host's\n");
        Exec($"mkdir -p {shared}; echo \"the container's\" > {shared}/secret; ln -s {shared}/secret /link");

        string plain = Path.Combine(_host, "plain");
        Directory.CreateDirectory(plain);
        Ps.Run($"Copy-ContainerItem web:/link '{plain}'");
        Assert.Equal($"{shared}/secret", new FileInfo(Path.Combine(plain, "link")).LinkTarget);

        string followed = Path.Combine(_host, "followed");
        Directory.CreateDirectory(followed);
        Ps.Run($"Copy-ContainerItem web:/link '{followed}' -FollowLink");
        Assert.Null(new FileInfo(Path.Combine(followed, "link")).LinkTarget);
        Assert.Equal("the container's\n", File.ReadAllText(Path.Combine(followed, "link")));
        Assert.Equal("the host's\n", File.ReadAllText(Path.Combine(shared, "secret")));
    }

    [Fact]
    public void ACopyInOfALinkCopiesTheLinkAndFollowLinkItsTarget()
    {
        File.WriteAllText(Path.Combine(_host, "target"), "content\n");
        File.CreateSymbolicLink(Path.Combine(_host, "link"), "target");
        Exec("mkdir /plain /followed");

        Ps.Run($"Copy-ContainerItem '{_host}/link' web:/plain/");
        Assert.Equal("target", Exec("readlink /plain/link"));

        Ps.Run($"Copy-ContainerItem '{_host}/link' web:/followed/ -L");
        Assert.Equal("regular file content", Exec("echo $(stat -c %F /followed/link) $(cat /followed/link)"));
    }

    [Fact]
    public void FollowingADanglingLinkIsANotFoundErrorAndNothingIsCopied()
    {
        Exec("ln -s /nowhere /dangling");
        var result = Ps.Invoke($"Copy-ContainerItem web:/dangling '{_host}' -FollowLink");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ContainerPathNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("/dangling", error.TargetObject);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_host));
    }
}
