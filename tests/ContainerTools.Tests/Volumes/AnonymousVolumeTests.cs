using System.Diagnostics;
using System.Text.Json;
using ContainerTools.Core.Volumes;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Volumes;

/// <summary>
/// Anonymous volumes as docker makes them: -Volume /path, the image's VOLUMEs; deleted by Remove-Container
/// -Volumes and by every auto-remove, never when named or mounted by another container; crash-safe removal.
/// </summary>
public sealed class AnonymousVolumeTests : BusyboxSessionTest
{
    private List<ContainerVolumeInfo> Volumes() => Ps.Run("Get-ContainerVolume").Select(v => (ContainerVolumeInfo)v.BaseObject).ToList();

    private List<string> VolumeNames() => Volumes().Select(v => v.Name).ToList();

    /// <summary>The anonymous volumes container.json records for a container.</summary>
    private List<string> RecordedAnonymous(string name)
    {
        string id = (string)Ps.Run($"(Get-Container {name}).Id").Single().BaseObject;
        using var record = JsonDocument.Parse(File.ReadAllBytes(new Core.Containers.ContainerPaths(Store.Location, id).Record));
        return record.RootElement.GetProperty("anonymousVolumes").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private string Output(string script) => string.Join("\n", Ps.Run(script).Select(o => o.BaseObject));

    [Fact]
    public void ADestinationAloneMakesAnAnonymousVolumeSeededFromTheImageAndRecordedAsTheContainers()
    {
        Ps.Run("New-Container busybox -Name anon -Network none -Volume /etc, /data:ro -- sh -c 'cat /etc/passwd; grep \" /data \" /proc/self/mounts'");

        var volumes = Volumes();
        Assert.Equal(2, volumes.Count);
        Assert.All(volumes, v => Assert.Matches("^[0-9a-f]{64}$", v.Name));
        Assert.All(volumes, v => Assert.Equal(["anon"], v.UsedBy));
        Assert.Equal(volumes.Select(v => v.Name).Order(), RecordedAnonymous("anon").Order());

        string output = Output("Start-Container anon; Wait-Container anon | Out-Null; Get-ContainerLog anon");
        Assert.Contains("root:x:0:0", output);
        Assert.Matches(@" /data \S+ ro[,\s]", output);
        // Seeded with the image's /etc, as a named volume is on first use.
        Assert.Contains(volumes, v => File.Exists(Path.Combine(v.Mountpoint, "passwd")));
    }

    [Fact]
    public void AnImageVolumeGetsAnAnonymousVolumeUnlessSomethingIsMountedThere()
    {
        string context = Store.Scratch("context");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN mkdir /data /cache /logs && echo seeded > /data/f\nVOLUME /data /cache\nVOLUME [\"/logs/\"]\n");
        Ps.Run($"Build-ContainerImage -Path '{context}' -Tag withvolumes:1");

        // /data: from the image, seeded; /cache: the user's named volume; /logs: the user's tmpfs.
        string output = Output("Invoke-ContainerImage withvolumes:1 -Name run -Network none -Volume named:/cache -Tmpfs /logs "
            + "-- sh -c 'cat /data/f; echo new > /data/g; grep -E \" /(data|cache|logs) \" /proc/self/mounts | cut -d\" \" -f2,3 | sort'");

        var lines = output.Split('\n');
        Assert.Equal("seeded", lines[0]);
        Assert.Equal(["/cache", "/data", "/logs tmpfs"], lines[1..].Select(l => l.StartsWith("/logs") ? l : l.Split(' ')[0]));
        var anonymous = Assert.Single(RecordedAnonymous("run"));
        Assert.Equal(["named", anonymous], VolumeNames().Order(StringComparer.Ordinal).OrderBy(n => n.Length));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(Store.Location.VolumesDirectory, anonymous, "_data", "g")));
    }

    [Fact]
    public void RemoveContainerVolumesDeletesOnlyItsOwnAnonymousVolumesNoOneElseMounts()
    {
        Ps.Run("New-Container busybox -Name owner -Network none -Volume /own, /shared, named:/named true");
        var anonymous = RecordedAnonymous("owner");
        Assert.Equal(2, anonymous.Count);
        (string own, string shared) = (anonymous[0], anonymous[1]);
        // Another container mounts the second one by its name, as docker run -v <id>:/path does.
        Ps.Run($"New-Container busybox -Name borrower -Network none -Volume {shared}:/borrowed true");

        Ps.Run("Remove-Container owner -Volumes -WhatIf");
        Assert.Equal(3, VolumeNames().Count);

        Ps.Run("Remove-Container owner -Volumes");

        Assert.Equal(new[] { "named", shared }.Order(), VolumeNames().Order());
        Assert.False(Directory.Exists(Path.Combine(Store.Location.VolumesDirectory, own)));
    }

    [Fact]
    public void RemoveContainerWithoutVolumesKeepsItsAnonymousVolumesForLater()
    {
        Ps.Run("New-Container busybox -Name keeper -Network none -Volume /kept true");
        string kept = Assert.Single(VolumeNames());

        Ps.Run("Remove-Container keeper");

        var volume = Assert.Single(Volumes());
        Assert.Equal(kept, volume.Name);
        Assert.Empty(volume.UsedBy);
        Ps.Run($"Remove-ContainerVolume {kept}");
        Assert.Empty(VolumeNames());
    }

    [Fact]
    public void AForegroundRunWithRemoveDeletesItsAnonymousVolumesAndKeepsNamedOnes()
    {
        Assert.Equal("hello", Output("Invoke-ContainerImage busybox -Remove -Network none -Volume /scratch, kept:/kept -- sh -c 'echo hello | tee /scratch/f'"));

        Assert.Empty(Ps.Run("Get-Container"));
        Assert.Equal(["kept"], VolumeNames());
    }

    [Fact]
    public void EveryOtherAutoRemovePathDeletesTheAnonymousVolumesToo()
    {
        // The monitor, when the run is detached; Stop-Container; Wait-Container.
        Ps.Run("Invoke-ContainerImage busybox -Remove -Detach -Network none -Volume /by-monitor -- sleep 0.5");
        Ps.Run("Invoke-ContainerImage busybox -Remove -Detach -Network none -Name stopped -Volume /by-stop -- sleep 300");
        Ps.Run("Invoke-ContainerImage busybox -Remove -Detach -Network none -Name waited -Volume /by-wait -- sleep 1");

        Ps.Run("Stop-Container stopped -Timeout 0");
        Ps.Run("Wait-Container waited");

        var deadline = Stopwatch.StartNew();
        while (Ps.Run("Get-Container").Count > 0 || VolumeNames().Count > 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"left: {string.Join(", ", Volumes().Select(v => v.Name + " used by " + string.Join("+", v.UsedBy)))}; containers: {string.Join(", ", Directory.GetFileSystemEntries(Store.Location.ContainersDirectory))}");
            Thread.Sleep(50);
        }
        Assert.Empty(Directory.GetFileSystemEntries(Store.Location.VolumesDirectory));
    }

    [Fact]
    public void ARemovalKilledAfterItsRenameIsFinishedWithItsVolumesByTheNextCommand()
    {
        Ps.Run("New-Container busybox -Name dropped -Network none -Volume /gone, keep:/keep true");
        Ps.Run("New-Container busybox -Name kept -Network none -Volume /stays true");
        string gone = Assert.Single(RecordedAnonymous("dropped"));
        string stays = Assert.Single(RecordedAnonymous("kept"));
        string id = (string)Ps.Run("(Get-Container dropped).Id").Single().BaseObject;
        // What a kill -9 right after DeleteFiles' rename leaves on disk.
        Directory.Move(Path.Combine(Store.Location.ContainersDirectory, id), Path.Combine(Store.Location.ContainersDirectory, ".removing-" + id));

        Assert.Equal(["kept"], Ps.Run("Get-Container").Select(c => (string)c.Properties["Name"].Value));

        Assert.Equal(new[] { "keep", stays }.Order(), VolumeNames().Order());
        Assert.False(Directory.Exists(Path.Combine(Store.Location.VolumesDirectory, gone)));
        Assert.Empty(Directory.GetDirectories(Store.Location.ContainersDirectory, ".removing-*"));
    }

    [Fact]
    public void AVolumeRemovalKilledAfterItsRenameIsFinishedByTheNextListing()
    {
        Ps.Run("New-Container busybox -Name user -Network none -Volume /half true");
        string half = Assert.Single(RecordedAnonymous("user"));
        Ps.Run("Remove-Container user");
        // What a kill -9 right after VolumeStore's rename leaves on disk.
        Directory.Move(Path.Combine(Store.Location.VolumesDirectory, half), Path.Combine(Store.Location.VolumesDirectory, ".removing-" + half));

        Assert.Empty(VolumeNames());
        Assert.Empty(Directory.GetFileSystemEntries(Store.Location.VolumesDirectory));
    }
}
