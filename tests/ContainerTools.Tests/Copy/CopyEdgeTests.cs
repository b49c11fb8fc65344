using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Copy;

/// <summary>Copy-ContainerItem with what is already at the destination, links a container planted, and files that are no files.</summary>
public sealed class CopyEdgeTests : BusyboxSessionTest
{
    private readonly string _host;

    public CopyEdgeTests()
    {
        Ps.Run("New-Container busybox -Name web -Network none -Start -- sleep 300 | Out-Null");
        _host = Store.Scratch("host");
    }

    private string Exec(string script) => ExecIn("web", script);

    [Fact]
    public void ACopyOutNeverWritesThroughALinkAnEarlierCopyBroughtOut()
    {
        // Outside the destination: what the container's links point at on the host.
        string victims = Store.Scratch("victims");
        File.WriteAllText(Path.Combine(victims, "file"), "original");
        Exec($"mkdir /data; ln -s {victims} /data/dir; ln -s {victims}/file /data/file");
        string backup = Path.Combine(_host, "backup");
        Directory.CreateDirectory(backup);
        Ps.Run($"Copy-ContainerItem web:/data '{backup}'");
        Assert.Equal(victims, new DirectoryInfo(Path.Combine(backup, "data", "dir")).LinkTarget);

        // The container turns its links into a directory and a file; the next backup must not follow the old links.
        Exec("rm /data/dir /data/file; mkdir /data/dir; echo planted > /data/dir/planted; echo overwritten > /data/file");
        Ps.Run($"Copy-ContainerItem web:/data '{backup}'");

        Assert.Equal(["file"], Directory.GetFileSystemEntries(victims).Select(Path.GetFileName));
        Assert.Equal("original", File.ReadAllText(Path.Combine(victims, "file")));
        Assert.Null(new DirectoryInfo(Path.Combine(backup, "data", "dir")).LinkTarget);
        Assert.Equal("planted\n", File.ReadAllText(Path.Combine(backup, "data", "dir", "planted")));
        Assert.Null(new FileInfo(Path.Combine(backup, "data", "file")).LinkTarget);
        Assert.Equal("overwritten\n", File.ReadAllText(Path.Combine(backup, "data", "file")));
    }

    [Fact]
    public async Task AFifoOrDeviceNamedAloneIsAnErrorAndInATreeIsLeftOut()
    {
        // Before, the copy opened the FIFO and waited for a writer that never came.
        string fifo = Path.Combine(_host, "fifo");
        Assert.Equal(0, Mkfifo(fifo, 0x1A4));
        AssertUnsupported(await InvokeUnblocking($"Copy-ContainerItem '{fifo}' web:/tmp/", fifo), fifo);
        AssertUnsupported(Ps.Invoke("Copy-ContainerItem /dev/null web:/tmp/null"), "/dev/null");

        Exec("mkfifo /tmp/cfifo");
        AssertUnsupported(Ps.Invoke($"Copy-ContainerItem web:/tmp/cfifo '{_host}/cfifo'"), "/tmp/cfifo");
        Assert.False(Path.Exists(Path.Combine(_host, "cfifo")));
        Assert.Equal("cfifo", Exec("ls /tmp"));

        // In a tree they are left out, both ways, and the rest is copied.
        string tree = Path.Combine(_host, "tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "file"), "f");
        Assert.Equal(0, Mkfifo(Path.Combine(tree, "pipe"), 0x1A4));
        Assert.False((await InvokeUnblocking($"Copy-ContainerItem '{tree}' web:/tmp/", Path.Combine(tree, "pipe"))).Failed);
        Assert.Equal("file", Exec("ls /tmp/tree"));
        Exec("mkfifo /tmp/tree/cpipe");
        Ps.Run($"Copy-ContainerItem web:/tmp/tree '{_host}/back'");
        Assert.Equal(["file"], Directory.GetFileSystemEntries(Path.Combine(_host, "back")).Select(Path.GetFileName));
    }

    /// <summary>Runs a copy that reads <paramref name="fifo"/>; fails the test, after unblocking it, if it waits for a writer.</summary>
    private async Task<PowerShellResult> InvokeUnblocking(string script, string fifo)
    {
        var token = TestContext.Current.CancellationToken;
        var copy = Task.Run(() => Ps.Invoke(script), token);
        if (await Task.WhenAny(copy, Task.Delay(TimeSpan.FromSeconds(20), token)) != copy)
        {
            await using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write))
                writer.WriteByte(0);
            await copy;
            Assert.Fail($"'{script}' blocked until something wrote to the FIFO");
        }
        return await copy;
    }

    [Fact]
    public void ADestinationThatIsALinkInTheContainerIsFollowedInsideItAsDockerCpDoes()
    {
        File.WriteAllText(Path.Combine(_host, "file"), "from host");
        string marker = "ct-follow-" + Guid.NewGuid().ToString("N")[..8];
        Exec($"echo old > /root/target; ln -s /root/target /tmp/link; ln -s ../../../../../../tmp/{marker} /tmp/up; ln -s /nowhere/{marker} /tmp/dangling");

        Ps.Run($"Copy-ContainerItem '{_host}/file' web:/tmp/link; Copy-ContainerItem '{_host}/file' web:/tmp/up");
        Assert.Equal("from host", Exec("cat /root/target"));
        Assert.Equal("/root/target", Exec("readlink /tmp/link"));
        Assert.Equal("from host", Exec($"cat /tmp/{marker}"));
        Assert.False(File.Exists($"/tmp/{marker}"));

        // A link to a directory that does not exist: the error names the directory, inside the container.
        var dangling = Ps.Invoke($"Copy-ContainerItem '{_host}/file' web:/tmp/dangling");
        Assert.StartsWith("ContainerPathNotFound,", Assert.Single(dangling.Errors).FullyQualifiedErrorId);
        Assert.False(Directory.Exists("/nowhere"));
    }

    [Fact]
    public void ALinkInTheContainerWhereATreeGoesIsReplacedNotFollowed()
    {
        string tree = Path.Combine(_host, "etc-like");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        File.WriteAllText(Path.Combine(tree, "sub", "planted"), "p");
        File.WriteAllText(Path.Combine(tree, "passwd"), "replaced");
        Exec("mkdir /tmp/d; ln -s /etc /tmp/d/etc-like;");
        Ps.Run($"Copy-ContainerItem '{tree}' web:/tmp/d");
        Assert.Equal("dir p", Exec("test -L /tmp/d/etc-like || echo -n dir; echo -n ' '; cat /tmp/d/etc-like/sub/planted"));
        Assert.Equal("no", Exec("test -e /etc/sub && echo yes || echo no"));

        // Inside a copied tree too: an entry that is a link in the container makes way for the host's file.
        Exec("rm -r /tmp/d/etc-like; mkdir /tmp/d/etc-like; ln -s /etc/passwd /tmp/d/etc-like/passwd");
        Ps.Run($"Copy-ContainerItem '{tree}' web:/tmp/d");
        Assert.Equal("replaced", Exec("cat /tmp/d/etc-like/passwd"));
        Assert.Contains("root:", Exec("cat /etc/passwd"));
    }

    [Fact]
    public void AFileOverADirectoryIsAnInvalidOperationThatLeavesTheDirectory()
    {
        File.WriteAllText(Path.Combine(_host, "name"), "file");
        Exec("mkdir -p /tmp/name/inside");
        var result = Ps.Invoke($"Copy-ContainerItem '{_host}/name' web:/tmp/");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("DirectoryInTheWay,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("inside", Exec("ls /tmp/name"));

        Directory.CreateDirectory(Path.Combine(_host, "out", "hostname", "inside"));
        var back = Ps.Invoke($"Copy-ContainerItem web:/etc/hostname '{_host}/out'");
        Assert.StartsWith("DirectoryInTheWay,", Assert.Single(back.Errors).FullyQualifiedErrorId);
        Assert.True(Directory.Exists(Path.Combine(_host, "out", "hostname", "inside")));
    }

    [Fact]
    public void TheWholeRootOfARunningContainerComesOutWithItsProcAndSysAsEmptyDirectories()
    {
        // Before, the copy read the container's /proc and failed part way (PermissionDenied, no target) on a file there.
        string copy = Path.Combine(_host, "rootfs");
        Ps.Run($"Copy-ContainerItem web:/ '{copy}'");
        Assert.True(File.Exists(Path.Combine(copy, "bin", "busybox")));
        Assert.Equal(Exec("cat /etc/hostname") + "\n", File.ReadAllText(Path.Combine(copy, "etc", "hostname")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(copy, "proc")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(copy, "sys")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(copy, "dev", "pts")));
    }

    [Fact]
    public void AReadOnlyRootTakesNoFileRunningOrNotButItsVolumesDo()
    {
        File.WriteAllText(Path.Combine(_host, "file"), "f");
        Ps.Run("New-Container busybox -Name ro -Network none -ReadOnly -Volume scratch:/tmp -- sleep 300 | Out-Null");
        foreach (string state in new[] { "created", "running" })
        {
            var refused = Ps.Invoke($"Copy-ContainerItem '{_host}/file' ro:/root/{state}");
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("ReadOnlyFileSystem,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Equal($"ro:/root/{state}", error.TargetObject);
            Ps.Run($"Copy-ContainerItem '{_host}/file' ro:/tmp/{state}");
            if (state == "created")
                Ps.Run("Start-Container ro | Out-Null");
        }
        Assert.Equal("created running", ExecIn("ro", "echo $(ls /tmp); ls /root"));

        // The paths the runtime keeps read-only in any container say so the same way (the host's core_pattern is behind this one).
        string corePattern = File.ReadAllText("/proc/sys/kernel/core_pattern");
        var kernel = Assert.Single(Ps.Invoke($"Copy-ContainerItem '{_host}/file' web:/proc/sys/kernel/core_pattern").Errors);
        Assert.StartsWith("ReadOnlyFileSystem,", kernel.FullyQualifiedErrorId);
        Assert.Equal(corePattern, File.ReadAllText("/proc/sys/kernel/core_pattern"));
    }

    [Fact]
    public void ExportToADirectoryIsAnInvalidArgumentThatWritesNothing()
    {
        string directory = Store.Scratch("exports");
        var result = Ps.Invoke($"Export-Container web '{directory}'");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PathIsDirectory,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(directory, error.TargetObject);
        Assert.Empty(Directory.GetFileSystemEntries(directory));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(directory)!, "exports.tmp-*"));
    }

    [Fact]
    public void ExportOfARunningContainerHoldsABindMountedFileEmptyNotTheHostsContent()
    {
        string secret = Path.Combine(_host, "secret");
        File.WriteAllText(secret, "host only");
        Ps.Run($"New-Container busybox -Name bound -Network none -Volume '{secret}:/etc/secret:ro' -Start -- sleep 300 | Out-Null");
        string tar = Path.Combine(Store.Scratch("out"), "bound.tar");
        Ps.Run($"Export-Container bound '{tar}' | Out-Null");

        using var stream = File.OpenRead(tar);
        using var reader = new System.Formats.Tar.TarReader(stream);
        var entries = new Dictionary<string, long>();
        while (reader.GetNextEntry() is { } entry)
            entries[entry.Name] = entry.Length;
        Assert.Equal(0, entries["etc/secret"]);
        Assert.True(entries["bin/busybox"] > 0);
    }

    [Fact]
    public void ADirectoryNeverReplacesAFileTheUserNamedAsTheDestination()
    {
        Directory.CreateDirectory(Path.Combine(_host, "tree"));
        File.WriteAllText(Path.Combine(_host, "keep"), "kept");
        var intoContainer = Assert.Single(Ps.Invoke($"Copy-ContainerItem '{_host}/tree' web:/etc/passwd").Errors);
        Assert.StartsWith("FileInTheWay,", intoContainer.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, intoContainer.CategoryInfo.Category);
        Assert.Contains("root:", Exec("cat /etc/passwd"));

        var outOfIt = Assert.Single(Ps.Invoke($"Copy-ContainerItem web:/etc '{_host}/keep'").Errors);
        Assert.StartsWith("FileInTheWay,", outOfIt.FullyQualifiedErrorId);
        Assert.Equal($"{_host}/keep", outOfIt.TargetObject);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(_host, "keep")));
    }

    [Fact]
    public void ANameTooLongForTheKernelIsAnInvalidArgumentNamingTheContainerPath()
    {
        File.WriteAllText(Path.Combine(_host, "file"), "f");
        string tooLong = "web:/tmp/" + new string('y', 300);
        foreach (string script in new[] { $"Copy-ContainerItem '{_host}/file' {tooLong}", $"Copy-ContainerItem {tooLong} '{_host}/out'" })
        {
            var error = Assert.Single(Ps.Invoke(script).Errors);
            Assert.StartsWith("PathTooLong,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(tooLong, error.TargetObject);
        }
        Assert.Equal("", Exec("ls /tmp"));
    }

    private static void AssertUnsupported(PowerShellResult result, string path)
    {
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("UnsupportedFileType,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int Mkfifo(string path, uint mode);
}
