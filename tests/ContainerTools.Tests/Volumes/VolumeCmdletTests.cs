using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Volumes;

/// <summary>Issue 9 item 4: named volumes, bind mounts and tmpfs through the cmdlets, mounted for real.</summary>
public sealed class VolumeCmdletTests : BusyboxSessionTest
{
    /// <summary>Runs busybox sh -c with extra parameters; its stdout lines joined, failing the test on any error.</summary>
    private string Sh(string parameters, string script) =>
        string.Join("\n", Ps.Run($"Invoke-ContainerImage busybox -Network none -Remove {parameters} -- sh -c '{script.Replace("'", "''")}'").Select(o => o.BaseObject));

    private static string Plain(string rendered) => System.Text.RegularExpressions.Regex.Replace(rendered, "\x1b\\[[0-9;]*m", "");

    private string VolumeData(string name) => Path.Combine(Store.Location.VolumesDirectory, name, "_data");

    [Fact]
    public void DataInANamedVolumeOutlivesTheContainerAndIsSeenByASecondOne()
    {
        Sh("-Volume data:/data", "echo kept > /data/file");

        Assert.Equal("kept", Sh("-Volume data:/srv/other", "cat /srv/other/file"));
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(VolumeData("data"), "file")));
    }

    [Fact]
    public void ReadOnlyVolumeRefusesWritesWithEROFS()
    {
        Ps.Run("New-ContainerVolume ro-data");

        string output = Sh("-Volume ro-data:/data:ro", "touch /data/x 2>&1; echo exit=$?; grep \" /data \" /proc/self/mounts");

        Assert.Contains("Read-only file system", output);
        Assert.Contains("exit=1", output);
        Assert.Matches(@" /data \S+ ro[,\s]", output);
        Assert.Empty(Directory.GetFileSystemEntries(VolumeData("ro-data")));
    }

    [Fact]
    public void BindMountShowsHostFilesAndItsReadOnlyFormCannotChangeThem()
    {
        string host = Store.Scratch("bind");
        File.WriteAllText(Path.Combine(host, "from-host"), "host data");

        Assert.Equal("host data", Sh($"-Volume {host}:/mnt/host", "cat /mnt/host/from-host; echo -n written > /mnt/host/from-container"));
        Assert.Equal("written", File.ReadAllText(Path.Combine(host, "from-container")));

        string output = Sh($"-Volume {host}:/mnt/host:ro", "rm /mnt/host/from-host 2>&1; echo exit=$?");
        Assert.Contains("Read-only file system", output);
        Assert.True(File.Exists(Path.Combine(host, "from-host")));
    }

    [Theory]
    [InlineData("file", "/etc")]
    [InlineData("", "/etc/passwd")]
    public void ABindOfTheWrongKindForItsTargetSaysSo(string sourceFile, string destination)
    {
        // Was move_mount's EINVAL (a file on a directory) or openat2's ENOTDIR on a path in the store.
        string kinds = Store.Scratch("kinds");
        File.WriteAllText(Path.Combine(kinds, "file"), "x");
        string source = Path.Combine(kinds, sourceFile);
        var error = Ps.Invoke($"Invoke-ContainerImage busybox -Remove -Volume '{source}:{destination}' true").AllErrors.Single();
        Assert.StartsWith("ContainerStartFailed", error.FullyQualifiedErrorId);
        Assert.Contains($"cannot mount {source} on {destination}: a file can be mounted only on a file, and a directory only on a directory", error.Exception.Message);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void TmpfsIsATmpfsWithItsSizeAndMode()
    {
        string output = Sh("-Tmpfs '/run/cache:size=1m,mode=0750'", "grep \" /run/cache \" /proc/self/mounts; stat -c %a /run/cache");

        Assert.Matches(@"^tmpfs /run/cache tmpfs rw,nosuid,nodev,noexec,\S*size=1024k,mode=750", output);
        Assert.EndsWith("750", output);
    }

    [Fact]
    public void ReadOnlyRootKeepsVolumesAndTmpfsWritable()
    {
        string output = Sh("-ReadOnly -Volume rw-data:/data -Tmpfs /scratch",
            "touch /root-file 2>&1; echo root=$?; touch /data/ok && echo data=$?; touch /scratch/ok && echo scratch=$?");

        Assert.Contains("root=1", output);
        Assert.Contains("Read-only file system", output);
        Assert.Contains("data=0", output);
        Assert.Contains("scratch=0", output);
    }

    [Fact]
    public void NewVolumeIsSeededWithTheImageContentAtItsPathOnce()
    {
        Assert.Contains("passwd", Sh("-Volume etc-copy:/etc", "ls /etc; echo changed > /etc/motd"));

        Assert.True(File.Exists(Path.Combine(VolumeData("etc-copy"), "passwd")));
        // Not empty any more: a second container sees the volume as it was left, not the image again.
        Assert.Equal("changed", Sh("-Volume etc-copy:/etc", "cat /etc/motd"));
    }

    [Fact]
    public void GetContainerVolumeShowsADockerLikeTableWithWildcardsAndSizes()
    {
        Ps.Run("New-ContainerVolume web-a, web-b, db -Label @{ tier = 'data' }");
        File.WriteAllBytes(Path.Combine(VolumeData("db"), "blob"), new byte[2048]);
        Ps.Run("New-Container busybox -Name user -Network none -Volume db:/db true");

        var names = Ps.Run("Get-ContainerVolume web*").Select(v => (string)v.Properties["Name"].Value).ToList();
        Assert.Equal(["web-a", "web-b"], names);
        string table = Plain(Ps.Render("Get-ContainerVolume"));
        Assert.Matches(@"DRIVER\s+VOLUME NAME\s+SIZE\s+CONTAINERS", table);
        Assert.Matches(@"local\s+db\s+2\.05kB\s+1", table);
        var db = Assert.Single(Ps.Run("Get-ContainerVolume db")).BaseObject as Core.Volumes.ContainerVolumeInfo;
        Assert.Equal(["user"], db!.UsedBy);
        Assert.Equal("data", db.Labels["tier"]);
        Assert.Equal(VolumeData("db"), db.Mountpoint);

        var missing = Ps.Invoke("Get-ContainerVolume nothing-here");
        Assert.Equal("VolumeNotFound,ContainerTools.Cmdlets.GetContainerVolumeCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void VolumeNamesCompleteOnTabByPrefixOrWildcard()
    {
        Ps.Run("New-ContainerVolume web-a, web-b, db");

        string[] Complete(string line) =>
            Ps.Run($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText")
                .Select(m => (string)m.BaseObject).ToArray();
        Assert.Equal(["web-a", "web-b"], Complete("Remove-ContainerVolume we"));
        Assert.Equal(["web-b"], Complete("Get-ContainerVolume *-b"));
        Assert.Empty(Complete("Remove-ContainerVolume x"));
    }

    [Fact]
    public void RemoveRefusesAVolumeInUseUntilTheContainerIsGoneOrForced()
    {
        Ps.Run("New-Container busybox -Name holder -Network none -Volume kept:/data true");
        File.WriteAllText(Path.Combine(VolumeData("kept"), "precious"), "x");

        var refused = Ps.Invoke("Remove-ContainerVolume kept");

        var error = Assert.Single(refused.Errors);
        Assert.Equal("VolumeInUse,ContainerTools.Cmdlets.RemoveContainerVolumeCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        Assert.Equal("kept", error.TargetObject);
        Assert.True(File.Exists(Path.Combine(VolumeData("kept"), "precious")));

        Ps.Run("Remove-ContainerVolume kept -Force");
        Assert.False(Directory.Exists(Path.Combine(Store.Location.VolumesDirectory, "kept")));
        // The container that named it gets an empty one again when it starts.
        Ps.Run("Start-Container holder | Wait-Container");
        Assert.Empty(Directory.GetFileSystemEntries(VolumeData("kept")));
    }

    [Fact]
    public void RemoveNeverTakesAVolumeFromARunningContainerEvenWithForce()
    {
        Ps.Run("New-Container busybox -Name runner -Network none -Volume busy:/data -Start sleep 300");

        var refused = Ps.Invoke("Remove-ContainerVolume busy -Force");

        Assert.Equal("VolumeInUse,ContainerTools.Cmdlets.RemoveContainerVolumeCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.True(Directory.Exists(VolumeData("busy")));
    }

    [Fact]
    public void PipelineRemovesEveryUnusedVolumeAndWhatIfRemovesNone()
    {
        Ps.Run("New-ContainerVolume a1, a2, a3");
        Ps.Run("New-Container busybox -Name keeper -Network none -Volume a2:/data true");

        Ps.Run("Get-ContainerVolume | Remove-ContainerVolume -WhatIf");
        Assert.Equal(3, Ps.Run("Get-ContainerVolume").Count);

        var result = Ps.Invoke("Get-ContainerVolume | Remove-ContainerVolume");

        Assert.Equal("VolumeInUse,ContainerTools.Cmdlets.RemoveContainerVolumeCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(["a2"], Ps.Run("Get-ContainerVolume").Select(v => (string)v.Properties["Name"].Value));
    }

    [Theory]
    [InlineData("Get-ContainerVolume")]
    [InlineData("New-ContainerVolume other")]
    [InlineData("Remove-ContainerVolume kept")]
    public void TheNextVolumeCommandRemovesWhatACreateKilledBeforeItsRecordLeft(string command)
    {
        // What New-ContainerVolume killed between making the directory and writing volume.json leaves: no command listed it or removed it.
        Directory.CreateDirectory(VolumeData("cut"));
        File.WriteAllText(Path.Combine(Store.Location.VolumesDirectory, "cut", ".tmp-999999-0"), "{");
        Ps.Run("New-ContainerVolume kept");

        Ps.Run(command);

        Assert.False(Directory.Exists(Path.Combine(Store.Location.VolumesDirectory, "cut")), "the killed create's directory is still there");
        Ps.Run("New-ContainerVolume cut; Remove-ContainerVolume cut");
    }

    public static TheoryData<string, string, ErrorCategory> BadInput => new()
    {
        { "New-Container busybox -Name bad -Network none -Volume /no/such/host/dir:/data true", "BindSourceNotFound", ErrorCategory.ObjectNotFound },
        { "New-Container busybox -Name bad -Network none -Volume 'bad name!:/data' true", "InvalidVolumeName", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Volume fine:data true", "InvalidMountDestination", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Volume fine:/ true", "InvalidMountDestination", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Volume fine:/data:rx true", "InvalidVolumeOption", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Volume fine:/data, other:/data true", "DuplicateMountPoint", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Volume /data:rx true", "InvalidVolumeOption", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Volume /data/../etc true", "InvalidMountDestination", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Volume /data, fine:/data true", "DuplicateMountPoint", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Tmpfs '/run:size=lots' true", "InvalidTmpfsOption", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Tmpfs '/run:mode=999' true", "InvalidTmpfsOption", ErrorCategory.InvalidArgument },
        { "New-Container busybox -Name bad -Network none -Tmpfs '/run:bogus' true", "InvalidTmpfsOption", ErrorCategory.InvalidArgument },
        { "New-ContainerVolume '../escape'", "InvalidVolumeName", ErrorCategory.InvalidArgument },
        { "New-ContainerVolume existing", "VolumeExists", ErrorCategory.ResourceExists },
        { "Remove-ContainerVolume nothing-here", "VolumeNotFound", ErrorCategory.ObjectNotFound },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void BadInputIsAnErrorRecordThatChangesNothing(string script, string errorId, ErrorCategory category)
    {
        Ps.Run("New-ContainerVolume existing");
        string[] Entries() => Directory.GetFileSystemEntries(Store.Location.Root, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/locks/")).Order().ToArray();
        var before = Entries();

        var result = Ps.Invoke(script);

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.NotNull(error.TargetObject);
        Assert.Equal(before, Entries());
        Assert.Empty(Ps.Run("Get-Container"));
    }
}
