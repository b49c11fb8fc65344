using System.Diagnostics;
using System.Formats.Tar;
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

    [Fact]
    public void FollowingALinkLoopIsAnInvalidArgumentNamingThePath()
    {
        Exec("ln -s /loop2 /loop1; ln -s /loop1 /loop2");
        File.CreateSymbolicLink(Path.Combine(_host, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(_host, "loop2"), "loop1");
        string received = Store.Scratch("received");

        var outOf = Assert.Single(Ps.Invoke($"Copy-ContainerItem web:/loop1 '{received}' -FollowLink").Errors);
        Assert.Equal(("SymbolicLinkLoop", System.Management.Automation.ErrorCategory.InvalidArgument, (object)"web:/loop1"),
            (outOf.FullyQualifiedErrorId.Split(',')[0], outOf.CategoryInfo.Category, outOf.TargetObject));
        var intoIt = Assert.Single(Ps.Invoke($"Copy-ContainerItem '{_host}/loop1' web:/tmp/ -FollowLink").Errors);
        Assert.Equal(("SymbolicLinkLoop", System.Management.Automation.ErrorCategory.InvalidArgument, (object)$"{_host}/loop1"),
            (intoIt.FullyQualifiedErrorId.Split(',')[0], intoIt.CategoryInfo.Category, intoIt.TargetObject));
        Assert.Empty(Directory.EnumerateFileSystemEntries(received));
        Assert.Equal("", Exec("ls /tmp"));
    }

    [Fact]
    public void AnExportWritesHardLinksAsHardLinkEntries()
    {
        Exec("mkdir /data; echo shared > /data/a; ln /data/a /data/b; ln /data/a /data/c; echo alone > /data/d");
        var entries = Export();
        Assert.Equal(TarEntryType.RegularFile, entries["data/a"].EntryType);
        Assert.Equal("shared\n", new StreamReader(entries["data/a"].DataStream!).ReadToEnd());
        foreach (string name in new[] { "data/b", "data/c" })
        {
            Assert.Equal(TarEntryType.HardLink, entries[name].EntryType);
            Assert.Equal("data/a", entries[name].LinkName);
        }
        Assert.Equal(TarEntryType.RegularFile, entries["data/d"].EntryType);
    }

    [Fact]
    public void AnExportNamesOwnersFromTheContainersOwnFilesAndKeepsSubSecondTimes()
    {
        // The container's /etc/group is a link to a path that exists on the host: read inside the root, it names nothing.
        string hostGroup = Path.Combine(Store.Scratch("hostetc"), "group");
        File.WriteAllText(hostGroup, "hostonly:x:0:\nhostusers:x:4242:\n");
        Exec($"echo alice:x:4242:4242::/home/alice:/bin/sh >> /etc/passwd; rm /etc/group; ln -s {hostGroup} /etc/group; "
            + "echo x > /owned; chown 4242:4242 /owned");
        // busybox stat: 2026-11-25 02:16:00.123456789 +0000; the archive keeps what a tick (100 ns) can hold.
        string fraction = Exec("stat -c %y /owned").Split(' ')[1].Split('.')[1][..7];
        var entries = Export();
        var owned = (PosixTarEntry)entries["owned"];
        Assert.Equal((4242, "alice"), (owned.Uid, owned.UserName));
        Assert.Equal((4242, ""), (owned.Gid, owned.GroupName));
        Assert.Equal("root", ((PosixTarEntry)entries["bin/busybox"]).UserName);
        Assert.NotEqual("0000000", fraction);
        Assert.Equal(fraction, owned.ModificationTime.ToString("fffffff", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AnExportToALinkWritesThroughItAndKeepsTheLink()
    {
        string archives = Store.Scratch("archives");
        string real = Path.Combine(archives, "real.tar");
        string link = Path.Combine(archives, "latest.tar");
        File.CreateSymbolicLink(link, "real.tar");
        Ps.Run($"Export-Container web '{link}' | Out-Null");
        Assert.Equal("real.tar", new FileInfo(link).LinkTarget);
        Assert.True(new FileInfo(real).Length > 0, "the link's target holds the archive");
        Assert.Equal(["latest.tar", "real.tar"], Directory.GetFileSystemEntries(archives).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AKilledExportLeavesNoFileBehind()
    {
        // A sparse 8 GiB file keeps the export writing long enough to be killed in the middle.
        Exec("truncate -s 8G /big");
        string archives = Store.Scratch("killed");
        string tar = Path.Combine(archives, "web.tar");
        using var export = Pwsh.Start(Store, $"Export-Container web '{tar}'");
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!WritesInto(export.Id, archives))
            {
                if (export.HasExited)
                    Assert.Fail($"the export ended (exit {export.ExitCode}) before it was seen writing: {export.StandardError.ReadToEnd()}");
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the export never started writing");
                Thread.Sleep(5);
            }
        }
        finally
        {
            export.Kill();
            export.WaitForExit();
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(archives));
    }

    /// <summary>Whether the process holds a file open in <paramref name="directory"/> (named, or unnamed: "dir/#inode (deleted)").</summary>
    private static bool WritesInto(int pid, string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Any(fd => new FileInfo(fd).LinkTarget?.StartsWith(directory + "/", StringComparison.Ordinal) == true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process (or one of its descriptors) went while listing.
            return false;
        }
    }

    private Dictionary<string, TarEntry> Export()
    {
        string tar = Path.Combine(Store.Scratch("out"), "web.tar");
        Ps.Run($"Export-Container web '{tar}' | Out-Null");
        var entries = new Dictionary<string, TarEntry>();
        using var stream = File.OpenRead(tar);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry(copyData: true) is { } entry)
            entries[entry.Name] = entry;
        return entries;
    }
}
