using System.Formats.Tar;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Copy;

/// <summary>Export-Container writes the running root file system as a tar archive.</summary>
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
    public void AContainerThatIsNotRunningIsAnErrorAndNoFileIsWritten()
    {
        Ps.Run("New-Container busybox -Name idle sleep 300 | Out-Null");
        string tar = Path.Combine(Store.Scratch("out"), "idle.tar");
        var result = Ps.Invoke($"Export-Container idle '{tar}'");
        Assert.StartsWith("ContainerNotRunning", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(tar)!));
    }
}
