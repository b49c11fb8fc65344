using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Volumes;

/// <summary>-Volume and -Tmpfs as docker users write them, odd ones included: refused before anything exists, or mounted as docker would.</summary>
public sealed class VolumeEdgeTests : BusyboxSessionTest
{
    private string Sh(string parameters, string script) =>
        string.Join("\n", Ps.Run($"Invoke-ContainerImage busybox -Network none -Remove {parameters} -- sh -c '{script.Replace("'", "''")}'").Select(o => o.BaseObject));

    public static TheoryData<string, string> Refused => new()
    {
        // Without a ':' these are paths in the container, which must be absolute, not host paths made into one.
        { "-Volume ./data", "InvalidVolumeSpecification" },
        { "-Volume ~", "InvalidVolumeSpecification" },
        // A mount over /proc hid the proc file system the start needs: the start failed, saying only IO_PathNotFound_Path.
        { "-Volume '{host}:/proc'", "InvalidMountDestination" },
        { "-Volume /proc/", "InvalidMountDestination" },
        { "-Tmpfs /proc", "InvalidMountDestination" },
        { "-Volume 'data:/data:nocopy,bogus'", "InvalidVolumeOption" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void ASpecDockerWouldRefuseIsAnInvalidArgumentBeforeAnythingIsCreated(string parameters, string errorId)
    {
        string host = Store.Scratch("host");
        string[] Entries() => Directory.GetFileSystemEntries(Store.Location.Root, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/locks/", StringComparison.Ordinal)).Order().ToArray();
        var before = Entries();

        Ps.Run($"$ExecutionContext.SessionState.Path.SetLocation('{host}') | Out-Null");
        var result = Ps.Invoke($"New-Container busybox -Name bad -Network none {parameters.Replace("{host}", host)} -- true");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.NotNull(error.TargetObject);
        Assert.Equal(before, Entries());
        Assert.Empty(Directory.GetFileSystemEntries(host));
    }

    [Fact]
    public void NocopyLeavesANewVolumeEmptyAndTheSELinuxLabelsAreAcceptedAsOnAHostWithoutIt()
    {
        Assert.Equal("", Sh("-Volume empty:/etc:nocopy", "ls /etc"));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Store.Location.VolumesDirectory, "empty", "_data")));
        Assert.Equal("", Sh("-Volume '/etc:nocopy,ro'", "ls /etc"));

        string host = Store.Scratch("host");
        File.WriteAllText(Path.Combine(host, "file"), "bound");
        Assert.Equal("bound\npasswd", Sh($"-Volume '{host}:/data:z','labelled:/etc:Z,ro'", "cat /data/file; echo; ls /etc | grep passwd"));
    }

    [Fact]
    public void AVolumesSizeCountsItsOwnFilesNeverWhatItsLinksPointAt()
    {
        // What a link a container planted points at on the host: measured before, and with `ln -s /` all of the host.
        string host = Store.Scratch("host");
        File.WriteAllBytes(Path.Combine(host, "big"), new byte[1 << 20]);
        Sh("-Volume linked:/data", $"echo -n 12345 > /data/own; ln -s {host} /data/dir; ln -s {host}/big /data/file; ln -s /data /data/loop");

        var volume = Ps.Run("Get-ContainerVolume linked").Single();
        Assert.Equal(5L, volume.Properties["Size"].Value);
    }
}
