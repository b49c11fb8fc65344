using System.Formats.Tar;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Copy;

/// <summary>Export-Container writes a container's root file system, running or stopped as a tar archive.</summary>
public sealed class ExportTests : BusyboxSessionTest
{
    [Fact]
    public void TheRootFileSystemWithChangesLinksAndModesAndNoMountedContents()
    {
        Ps.Run("New-Container busybox -Name web -Start -- sleep 300 | Out-Null");
        Ps.Run("Invoke-ContainerCommand web sh,-c,'echo changed > /root/note; chmod 640 /root/note; ln -s /etc/passwd /root/link'");
        string tar = Path.Combine(Store.Scratch("out"), "web.tar");
        var file = Ps.Run($"Export-Container web '{tar}'").Single();
        Assert.Equal(tar, file.Properties["FullName"].Value);
        // As Get-Item gives it, so pwsh's table shows its mode and size (a bare FileInfo showed them blank).
        string table = System.Text.RegularExpressions.Regex.Replace(Ps.Render($"Export-Container web '{tar.Replace("web.tar", "again.tar")}'"), "\x1b\\[[0-9;]*m", "");
        Assert.Matches(@"-rw\S+\s+root\s+root\s.*\sagain\.tar", table);

        var entries = new Dictionary<string, TarEntry>();
        using (var stream = File.OpenRead(tar))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
                entries[entry.Name] = entry;
        }
        var note = entries["root/note"];
        Assert.Equal("changed\n", new StreamReader(note.DataStream!).ReadToEnd());
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), note.Mode);
        Assert.Equal("/etc/passwd", entries["root/link"].LinkName);
        Assert.Equal(TarEntryType.RegularFile, entries["bin/busybox"].EntryType);
        Assert.Equal(TarEntryType.Directory, entries["proc/"].EntryType);
        Assert.DoesNotContain(entries.Keys, name => name.StartsWith("proc/1", StringComparison.Ordinal) || name.StartsWith("sys/k", StringComparison.Ordinal));
    }

    [Fact]
    public void AStoppedContainerExportsItsImageWithWhatItsRunChanged()
    {
        Ps.Run("New-Container busybox -Name done -Start -- sh -c 'echo kept > /root/note; rm /etc/group' | Out-Null; Wait-Container done | Out-Null");
        string tar = Path.Combine(Store.Scratch("out"), "done.tar");
        Ps.Run($"Export-Container done '{tar}' | Out-Null");

        var entries = new Dictionary<string, TarEntry>();
        using (var stream = File.OpenRead(tar))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
                entries[entry.Name] = entry;
        }
        Assert.Equal("kept\n", new StreamReader(entries["root/note"].DataStream!).ReadToEnd());
        Assert.Equal(TarEntryType.RegularFile, entries["bin/busybox"].EntryType);
        // A deletion is not a file in the export (no whiteout device, no .wh. name).
        Assert.DoesNotContain("etc/group", entries.Keys);
        Assert.DoesNotContain(entries.Keys, name => name.Contains(".wh.", StringComparison.Ordinal));
        Assert.Equal("Exited", Ps.Run("(Get-Container done).Status.ToString()").Single().BaseObject);
    }

    [Fact]
    public void AMissingContainerIsAnErrorAndNoFileIsWritten()
    {
        string tar = Path.Combine(Store.Scratch("out"), "none.tar");
        var result = Ps.Invoke($"Export-Container nosuch '{tar}'");
        Assert.StartsWith("ContainerNotFound", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(tar)!));
    }
}
