using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>
/// -UserNamespace Auto end to end: real user namespaces over ids delegated in this store's own subuid/subgid
/// files (named by its userns.json), id-mapped image layers, exec joining the namespace, and refusals.
/// </summary>
public sealed class UserNamespaceTests : BusyboxSessionTest
{
    private const long First = 400000;

    public UserNamespaceTests() => Delegate(uids: "containers:400000:131072\n", gids: "containers:400000:131072\n");

    /// <summary>Writes this store's subid files and the settings that name them.</summary>
    private void Delegate(string uids, string gids)
    {
        string dir = Store.Scratch("subid");
        File.WriteAllText(Path.Combine(dir, "subuid"), uids);
        File.WriteAllText(Path.Combine(dir, "subgid"), gids);
        File.WriteAllText(Path.Combine(Store.Location.Root, UserNamespaceSettings.FileName),
            $$"""{ "owner": "containers", "subuidFile": "{{dir}}/subuid", "subgidFile": "{{dir}}/subgid" }""");
    }

    private string[] Lines(string script) => [.. Ps.Run(script).Select(o => o.BaseObject.ToString()!)];

    private static string Normalize(string map) => string.Join(' ', map.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void RootInsideOwnsTheImageButIsTheSlicesFirstIdOnTheHost()
    {
        string shared = Store.Scratch("shared");
        File.SetUnixFileMode(shared, (UnixFileMode)0x1FF);

        var lines = Lines($"Invoke-ContainerImage busybox -Remove -UserNamespace Auto -Volume {shared}:/data -- sh -c 'id -u; id -g; stat -c %u:%g /bin/busybox; cat /proc/self/uid_map; touch /data/made-inside'");

        Assert.Equal(["0", "0", "0:0", $"0 {First} 65536"], lines.Select(Normalize));
        var made = Linux.LStat(Path.Combine(shared, "made-inside"));
        Assert.Equal((First, First), ((long)made.Uid, (long)made.Gid));
    }

    [Fact]
    public void AnExportHasTheContainersIdsNotTheSlicesHostIdsWhetherItRunsOrNot()
    {
        // docker export of a remapped container writes the ids its processes see; the slice's host ids were written.
        Ps.Run("New-Container busybox -Name exported -UserNamespace Auto -Start -- sleep 100 | Out-Null; Invoke-ContainerCommand exported sh,-c,'echo x > /mine; chown 1000:1000 /mine'");
        string running = Path.Combine(Store.Scratch("export"), "running.tar");
        string stopped = Path.Combine(Store.Scratch("export"), "stopped.tar");
        Ps.Run($"Export-Container exported '{running}' | Out-Null; Stop-Container exported -Timeout 0 | Out-Null; Export-Container exported '{stopped}' | Out-Null");

        foreach (string tar in new[] { running, stopped })
        {
            var owners = new Dictionary<string, (int, int, string)>();
            using (var reader = new System.Formats.Tar.TarReader(File.OpenRead(tar)))
            {
                while (reader.GetNextEntry() is System.Formats.Tar.PosixTarEntry entry)
                    owners[entry.Name] = (entry.Uid, entry.Gid, entry.UserName);
            }
            Assert.Equal((0, 0, "root"), owners["bin/busybox"]);
            Assert.Equal((1000, 1000, ""), owners["mine"]);
        }
        Ps.Run("Remove-Container exported -Force");
    }

    [Fact]
    public void FilesCopiedInBelongToRootInsideWhetherTheContainerRunsOrNot()
    {
        string file = Path.Combine(Store.Scratch("copy"), "note.txt");
        File.WriteAllText(file, "hi");
        Ps.Run("New-Container busybox -Name up -UserNamespace Auto -Start -- sleep 100; New-Container busybox -Name later -UserNamespace Auto -- stat -c %u:%g /note.txt");

        Ps.Run($"Copy-ContainerItem {file} up:/tmp/; Copy-ContainerItem {file} later:/");

        Assert.Equal(["0:0"], Lines("Invoke-ContainerCommand up -Command stat,-c,'%u:%g',/tmp/note.txt"));
        Assert.Equal(["0:0"], Lines("Start-Container later | Out-Null; Wait-Container later | Out-Null; Get-ContainerLog later"));
        Ps.Run("Remove-Container up, later -Force");
    }

    [Fact]
    public void ContainersGetDisjointSlicesAndARemovedOnesSliceIsFreeAgain()
    {
        Ps.Run("New-Container busybox -Name a -UserNamespace Auto -- true; New-Container busybox -Name b -UserNamespace Auto -- true; New-Container busybox -Name plain -- true");

        Assert.Equal([First, First + 65536], [SliceOf("a").Start, SliceOf("b").Start]);
        Assert.Null(Record("plain").UserNamespace);
        Ps.Run("Remove-Container a; New-Container busybox -Name c -UserNamespace Auto -- true");
        Assert.Equal(First, SliceOf("c").Start);
        // Both are taken now: a third is refused, with the store as it was.
        var error = Assert.Single(Ps.Invoke("New-Container busybox -Name d -UserNamespace Auto -- true").AllErrors);
        Assert.StartsWith("SubordinateIdsExhausted", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(["b", "c", "plain"], Lines("(Get-Container).Name").Order());
    }

    [Fact]
    public void ExecJoinsTheUserNamespaceAndRemoveLeavesNoMounts()
    {
        Ps.Run("New-Container busybox -Name web -UserNamespace Auto -- sleep 1000 | Start-Container");

        string inside = ExecIn("web", "id -u; cat /proc/self/uid_map; touch /made; stat -c %u /made");

        Assert.Equal($"0\n0 {First} 65536\n0", string.Join('\n', inside.Split('\n').Select(Normalize)));
        Ps.Run("Remove-Container web -Force");
        Assert.DoesNotContain(File.ReadAllLines("/proc/mounts"), m => m.Contains(Store.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alice:400000:65536\n", "SubordinateIdsMissing", ErrorCategory.ObjectNotFound)]
    [InlineData("containers:400000:1000\n", "SubordinateIdsTooSmall", ErrorCategory.LimitsExceeded)]
    public void MissingOrTooSmallDelegationIsAnErrorRecordAndNothingIsCreated(string uids, string errorId, ErrorCategory category)
    {
        Delegate(uids, gids: "containers:400000:65536\n");
        // A container made and removed first: what any first creation sets up (the default network) is there before.
        Ps.Run("New-Container busybox -Name warm -- true | Remove-Container");
        var before = StoreEntries();

        var error = Assert.Single(Ps.Invoke("New-Container busybox -Name bad -UserNamespace Auto -- true").AllErrors);

        Assert.StartsWith(errorId, error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.EndsWith("subuid", (string)error.TargetObject, StringComparison.Ordinal);
        Assert.Empty(Ps.Run("Get-Container"));
        Assert.Equal(before, StoreEntries());
    }

    [Fact]
    public void UnknownModeIsAnErrorRecordNamingTheChoices()
    {
        var error = Assert.Single(Ps.Invoke("New-Container busybox -Name bad -UserNamespace Private -- true").AllErrors);

        Assert.StartsWith("CannotConvertArgumentNoMessage,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("Host", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    /// <summary>Everything in the store but its lock files (taken, never state).</summary>
    [Fact]
    public void MonitorOfAContainerInAUserNamespaceHandsOverOnceSettledToo()
    {
        Ps.Run("New-Container busybox -Name settled -UserNamespace Auto -Start -- sh -c 'echo hi; sleep 300'");
        int monitor = new ContainerStore(Store.Location).Find("settled").State.Monitor!.Pid;
        Assert.True(SpinWait.SpinUntil(() => Containers.MonitorTests.IsWatching(monitor), TimeSpan.FromSeconds(30)));
        Assert.Equal(["137"], Lines("Stop-Container settled -Timeout 0; (Wait-Container settled).ExitCode"));
        Assert.Equal(["hi"], Lines("Get-ContainerLog settled"));
    }

    private List<string> StoreEntries() =>
        [.. Directory.GetFileSystemEntries(Store.Location.Root, "*", SearchOption.AllDirectories).Where(e => !e.Contains("/locks/", StringComparison.Ordinal)).Order()];

    private ContainerRecord Record(string name) => new ContainerStore(Store.Location).Find(name).Record;

    private IdRange SliceOf(string name) => Record(name).UserNamespace!.Uids;
}
