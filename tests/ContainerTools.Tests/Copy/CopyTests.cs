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
            string followed = Path.Combine(_host, "followed" + i);
            Ps.Invoke($"Copy-ContainerItem web:/tmp/s '{copy}' -ErrorAction SilentlyContinue");
            Ps.Invoke($"Copy-ContainerItem web:/tmp/s '{followed}' -FollowLink -ErrorAction SilentlyContinue");
            Ps.Invoke($"Copy-ContainerItem '{payload}' web:/tmp/s/d -ErrorAction SilentlyContinue");
            // Had the host's /etc been read, a file busybox's /etc lacks would be there. Not followed, the link
            // itself is copied (as docker cp copies it): a host link to /etc, which no copy read.
            if (new FileInfo(copy).LinkTarget is null)
                Assert.False(File.Exists(Path.Combine(copy, "debian_version")), $"copy {i} read the host's /etc");
            Assert.Null(new FileInfo(followed).LinkTarget);
            Assert.False(File.Exists(Path.Combine(followed, "debian_version")), $"copy {i} followed the link to the host's /etc");
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

        var noContainer = Ps.Invoke($"Copy-ContainerItem '{_host}' nosuch:/tmp");
        Assert.StartsWith("ContainerNotFound", Assert.Single(noContainer.Errors).FullyQualifiedErrorId);
        Assert.Equal("", Exec("ls /tmp"));
    }

    [Fact]
    public void AFileCopiedToAPathEndingInASlashNeedsThatDirectory()
    {
        // docker cp file web:/tmp/new/ refuses; the file became /tmp/new itself.
        File.WriteAllText(Path.Combine(_host, "note"), "n");
        var error = Assert.Single(Ps.Invoke($"Copy-ContainerItem '{_host}/note' web:/tmp/new/").Errors);
        Assert.StartsWith("ContainerPathNotFound", error.FullyQualifiedErrorId);
        Assert.Equal("/tmp/new/", error.TargetObject);
        Assert.Equal("", Exec("ls /tmp"));
        Ps.Run($"Copy-ContainerItem '{_host}/note' web:/tmp/");
        Assert.Equal("n", Exec("cat /tmp/note"));
    }

    [Fact]
    public void AStoppedContainerTakesFilesInThatItsStartSeesAndGivesBackWhatItsRunWrote()
    {
        File.WriteAllText(Path.Combine(_host, "in"), "given while created\n");
        Ps.Run("New-Container busybox -Name idle -- sh -c 'cat /tmp/in; echo written > /root/out; rm /etc/group' | Out-Null");
        Ps.Run($"Copy-ContainerItem '{_host}/in' idle:/tmp/in");

        Ps.Run("Start-Container idle | Out-Null; Wait-Container idle | Out-Null");
        Assert.Equal("given while created", string.Join("\n", Ps.Run("Get-ContainerLog idle").Select(o => o.ToString())));

        string back = Store.Scratch("back");
        Ps.Run($"Copy-ContainerItem idle:/root/out '{back}'; Copy-ContainerItem idle:/tmp '{back}/tmp'");
        Assert.Equal("written\n", File.ReadAllText(Path.Combine(back, "out")));
        Assert.Equal("given while created\n", File.ReadAllText(Path.Combine(back, "tmp", "in")));
        // The run deleted it: its whiteout in the upper directory hides the image's file.
        var deleted = Ps.Invoke($"Copy-ContainerItem idle:/etc/group '{back}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(deleted.Errors).CategoryInfo.Category);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(Store.Path, StringComparison.Ordinal) && line.Contains("overlay", StringComparison.Ordinal));
    }

    [Fact]
    public void AStoppedContainersVolumesAndBindMountsAreCopiedAsItsRunSeesThem()
    {
        string bound = Path.Combine(_host, "bound");
        Directory.CreateDirectory(bound);
        File.WriteAllText(Path.Combine(_host, "in"), "given while created\n");
        Ps.Run($"New-Container busybox -Name vols -Volume data:/data,'{bound}:/srv/bound' -- sh -c 'cat /srv/bound/in; echo from the run > /data/out' | Out-Null");

        // Never started: the mount point is made by the copy, as the start would make it, and the file lands in the bound directory.
        Ps.Run($"Copy-ContainerItem '{_host}/in' vols:/srv/bound/in");
        Assert.Equal("given while created\n", File.ReadAllText(Path.Combine(bound, "in")));

        Ps.Run("Start-Container vols | Out-Null; Wait-Container vols | Out-Null");
        Assert.Equal("given while created", string.Join("\n", Ps.Run("Get-ContainerLog vols").Select(o => o.ToString())));
        string back = Store.Scratch("back");
        Ps.Run($"Copy-ContainerItem vols:/data/out '{back}/out'; Copy-ContainerItem vols:/srv/bound '{back}/bound'");
        Assert.Equal("from the run\n", File.ReadAllText(Path.Combine(back, "out")));
        Assert.Equal("given while created\n", File.ReadAllText(Path.Combine(back, "bound", "in")));
    }

    [Fact]
    public void AStoppedContainersSymlinksStayInsideItEvenWhenSwappedUnderTheCopy()
    {
        Ps.Run("New-Container busybox -Name idle sleep 300 | Out-Null");
        string links = Path.Combine(_host, "links");
        Directory.CreateDirectory(links);
        File.CreateSymbolicLink(Path.Combine(links, "root"), "/");
        File.CreateSymbolicLink(Path.Combine(links, "up"), "../../../../..");
        File.WriteAllText(Path.Combine(_host, "file"), "from host");
        string marker = "ct-escape-" + Guid.NewGuid().ToString("N")[..8];
        Ps.Run($"Copy-ContainerItem '{links}' idle:/; Copy-ContainerItem '{_host}/file' idle:/links/root/tmp/{marker}; Copy-ContainerItem '{_host}/file' idle:/links/up/{marker}");
        Assert.False(File.Exists($"/tmp/{marker}"));
        Assert.False(File.Exists($"/{marker}"));
        string back = Store.Scratch("back");
        Ps.Run($"Copy-ContainerItem idle:/links/up/tmp/{marker} '{back}/a'; Copy-ContainerItem idle:/links/root/{marker} '{back}/b'; Copy-ContainerItem idle:/links/root/etc/passwd '{back}/passwd'");
        Assert.Equal("from host", File.ReadAllText(Path.Combine(back, "a")));
        Assert.Equal("from host", File.ReadAllText(Path.Combine(back, "b")));
        Assert.DoesNotContain("_apt", File.ReadAllText(Path.Combine(back, "passwd")));

        // Nothing runs inside a stopped container: the swap is made on the host, in its upper directory.
        string id = (string)Ps.Run("(Get-Container idle).Id").Single().BaseObject;
        string swapped = Path.Combine(Store.Path, "containers", id, "upper", "s");
        using var stop = new CancellationTokenSource();
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Directory.CreateDirectory(Path.Combine(swapped, "d"));
                File.WriteAllText(Path.Combine(swapped, "d", "f"), "in");
                Directory.Delete(swapped, recursive: true);
                File.CreateSymbolicLink(swapped, "/etc");
                File.Delete(swapped);
            }
        });
        swapper.Start();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                string copy = Path.Combine(back, "out" + i);
                Ps.Invoke($"Copy-ContainerItem idle:/s '{copy}' -ErrorAction SilentlyContinue");
                Assert.False(File.Exists(Path.Combine(copy, "debian_version")), $"copy {i} read the host's /etc");
                Ps.Invoke($"Copy-ContainerItem '{_host}/file' idle:/s/{marker} -ErrorAction SilentlyContinue");
                Assert.False(File.Exists(Path.Combine("/etc", marker)), "a copy wrote into the host's /etc");
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }
    }
}
