using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Copy;

/// <summary>Copy-ContainerItem both ways, and paths that try to leave the container's root.</summary>
public sealed class CopyTests : BusyboxSessionTest
{
    private readonly string _host;

    public CopyTests()
    {
        Ps.Run("New-Container busybox -Name web -Start -- sleep 300 | Out-Null");
        _host = Store.Scratch("host");
    }

    private string Exec(string script) => ExecIn("web", script);

    [Fact]
    public void TreesGoInAndComeBackWithModesTimesAndSymlinks()
    {
        string tree = Path.Combine(_host, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        File.WriteAllText(Path.Combine(tree, "run.sh"), "#!/bin/sh\necho ran\n");
        File.SetUnixFileMode(Path.Combine(tree, "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
        File.WriteAllText(Path.Combine(tree, "sub", "data"), "payload");
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "sub/data");
        var old = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(tree, "sub", "data"), old);
        Directory.SetLastWriteTimeUtc(Path.Combine(tree, "sub"), old);

        Ps.Run($"Copy-ContainerItem '{tree}' web:/tmp");
        Assert.Equal("ran\n-rwx--x---\npayloadsub/data\n1577934245\n1577934245",
            Exec("/tmp/tree/run.sh; stat -c %A /tmp/tree/run.sh; cat /tmp/tree/link; readlink /tmp/tree/link; stat -c %Y /tmp/tree/sub/data; stat -c %Y /tmp/tree/sub"));

        Exec("echo changed > /tmp/tree/sub/data; touch -d '2021-06-07 08:09:10' /tmp/tree/sub/data");
        string back = Path.Combine(_host, "back");
        Ps.Run($"Copy-ContainerItem web:/tmp/tree '{back}'");
        Assert.Equal("changed\n", File.ReadAllText(Path.Combine(back, "sub", "data")));
        Assert.Equal(new DateTime(2021, 6, 7, 8, 9, 10, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(back, "sub", "data")));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(tree, "run.sh")), File.GetUnixFileMode(Path.Combine(back, "run.sh")));
        Assert.Equal("sub/data", new FileInfo(Path.Combine(back, "link")).LinkTarget);

        // A single file into an existing host directory keeps its name; to a new name takes that name.
        Ps.Run($"Copy-ContainerItem web:/etc/hostname '{_host}'; Copy-ContainerItem web:/etc/hostname '{_host}/renamed'");
        Assert.Equal(File.ReadAllText(Path.Combine(_host, "hostname")), File.ReadAllText(Path.Combine(_host, "renamed")));
    }

    [Fact]
    public void SymlinksToTheRootOrAboveStayInsideTheContainer()
    {
        string marker = "ct-escape-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(Path.Combine(_host, "file"), "from host");
        Exec("ln -s / /tmp/root; ln -s ../../../../.. /tmp/up; mkdir /inside; echo container > /inside/secret");

        Ps.Run($"Copy-ContainerItem '{_host}/file' web:/tmp/root/tmp/{marker}; Copy-ContainerItem '{_host}/file' web:/tmp/up/{marker}");
        Assert.False(File.Exists($"/tmp/{marker}"));
        Assert.False(File.Exists($"/{marker}"));
        Assert.Equal("from hostfrom host", Exec($"cat /tmp/{marker} /{marker}"));

        Ps.Run($"Copy-ContainerItem web:/tmp/up/inside/secret '{_host}/secret'; Copy-ContainerItem web:/tmp/root/etc/passwd '{_host}/passwd'");
        Assert.Equal("container\n", File.ReadAllText(Path.Combine(_host, "secret")));
        Assert.Equal(Exec("cat /etc/passwd") + "\n", File.ReadAllText(Path.Combine(_host, "passwd")));
    }

    [Fact]
    public void ASymlinkSwappedWhileCopyingNeverLeadsOutOfTheRoot()
    {
        // Inside, /tmp/s flips between a real directory and a link to /etc as fast as the shell can.
        Ps.Run("Invoke-ContainerCommand web -Detach sh,-c,'while true; do rm -rf /tmp/s; mkdir -p /tmp/s/d; echo in > /tmp/s/d/f; rm -rf /tmp/s; ln -s /etc /tmp/s; done'");
        string payload = Path.Combine(_host, "payload");
        Directory.CreateDirectory(Path.Combine(payload, "deeper"));
        string marker = "ct-swap-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(Path.Combine(payload, "deeper", marker), "x");
        for (int i = 0; i < 40; i++)
        {
            string copy = Path.Combine(_host, "out" + i);
            Ps.Invoke($"Copy-ContainerItem web:/tmp/s '{copy}' -ErrorAction SilentlyContinue");
            Ps.Invoke($"Copy-ContainerItem '{payload}' web:/tmp/s/d -ErrorAction SilentlyContinue");
            // Had the host's /etc been read, a file busybox's /etc lacks would be there.
            Assert.False(File.Exists(Path.Combine(copy, "debian_version")), $"copy {i} read the host's /etc");
            Assert.False(Directory.Exists(Path.Combine("/etc", "d")) && File.Exists(Path.Combine("/etc", "d", "payload", "deeper", marker)), "a copy wrote into the host's /etc");
            Assert.False(File.Exists(Path.Combine("/etc", "payload", "deeper", marker)), "a copy wrote into the host's /etc");
        }
    }

    [Fact]
    public void BadInputIsAnErrorRecordThatChangesNothing()
    {
        var missingInside = Ps.Invoke($"Copy-ContainerItem web:/no/such '{_host}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missingInside.Errors).CategoryInfo.Category);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_host));

        var missingHost = Ps.Invoke($"Copy-ContainerItem '{_host}/nothing' web:/tmp");
        Assert.Equal("PathNotFound,ContainerTools.Cmdlets.CopyContainerItemCommand", Assert.Single(missingHost.Errors).FullyQualifiedErrorId);

        var bothHost = Ps.Invoke($"Copy-ContainerItem '{_host}' '{_host}/x'");
        Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(bothHost.Errors).CategoryInfo.Category);

        Ps.Run("New-Container busybox -Name idle sleep 300 | Out-Null");
        var notRunning = Ps.Invoke($"Copy-ContainerItem idle:/etc/hostname '{_host}'");
        Assert.StartsWith("ContainerNotRunning", Assert.Single(notRunning.Errors).FullyQualifiedErrorId);
        Assert.Equal("", Exec("ls /tmp"));
    }
}
