using ContainerTools.Core;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>
/// How a command finds its container: a full id, a name, or an id prefix, names first (as docker does); a prefix
/// two containers share is refused. Names are found through the name index in the run root, which is built again
/// when it is missing (a restart empties the run root) and whose stale links count for nothing.
/// </summary>
public sealed class ContainerLookupTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly ContainerRunner _run;

    public ContainerLookupTests() => _run = new ContainerRunner(_store);

    public void Dispose() => _store.Dispose();

    private string Create(string? name = null) => _run.Create(new ContainerOptions { Name = name, Command = ["true"] }).Id;

    [Fact]
    public void AFullIdANameAndAUniquePrefixEachFindTheirContainer()
    {
        string web = Create("web");
        Create("db");
        Assert.Equal(web, _run.Containers.Find(web).Id);
        Assert.Equal(web, _run.Containers.Find("web").Id);
        Assert.Equal(web, _run.Containers.Find(web[..12].ToUpperInvariant()).Id);
        var error = Assert.Throws<EngineException>(() => _run.Containers.Find("nosuch"));
        Assert.Equal(("ContainerNotFound", ErrorKind.NotFound, "nosuch"), (error.ErrorId, error.Kind, error.Target));
    }

    [Fact]
    public void ANameWinsOverAnotherContainersIdPrefixAndASharedPrefixIsAmbiguous()
    {
        // Containers until two ids share their first digit (16 digits: a few creations at most).
        var ids = new List<string>();
        string? shared = null;
        while (shared is null)
        {
            ids.Add(Create());
            shared = ids.GroupBy(id => id[0]).FirstOrDefault(g => g.Count() > 1)?.Key.ToString();
        }
        var error = Assert.Throws<EngineException>(() => _run.Containers.Find(shared));
        Assert.Equal(("AmbiguousContainerId", ErrorKind.InvalidArgument, shared), (error.ErrorId, error.Kind, error.Target));

        string named = Create(shared);
        Assert.Equal(named, _run.Containers.Find(shared).Id);
    }

    private string Index => Path.Combine(_store.Location.RunRoot, "container-names");

    [Fact]
    public void AMissingNameIndexIsBuiltAgainFromTheRecords()
    {
        string web = Create("web");
        Directory.Delete(Index, recursive: true);
        Assert.Equal(web, _run.Containers.Find("web").Id);
        Directory.Delete(Index, recursive: true);
        var error = Assert.Throws<EngineException>(() => Create("web"));
        Assert.Equal(("ContainerNameInUse", ErrorKind.AlreadyExists), (error.ErrorId, error.Kind));
        Assert.Equal(web, File.ResolveLinkTarget(Path.Combine(Index, "web"), returnFinalTarget: false)!.Name);
    }

    [Fact]
    public void ALinkToNoContainerOrToAContainerRenamedSinceTakesNothing()
    {
        string renamed = Create("old");
        _run.Containers.Rename("old", "new");
        Assert.False(File.Exists(Path.Combine(Index, "old")) || Directory.Exists(Path.Combine(Index, "old")));
        // What a kill leaves: a link whose container was never made, or renamed before its old link went.
        File.CreateSymbolicLink(Path.Combine(Index, "ghost"), new string('a', 64));
        File.CreateSymbolicLink(Path.Combine(Index, "old"), renamed);
        File.CreateSymbolicLink(Path.Combine(Index, "outside"), "../../../etc");
        Assert.Equal("ContainerNotFound", Assert.Throws<EngineException>(() => _run.Containers.Find("ghost")).ErrorId);
        Assert.Equal("ContainerNotFound", Assert.Throws<EngineException>(() => _run.Containers.Find("outside")).ErrorId);
        Assert.Equal(renamed, _run.Containers.Find("new").Id);
        string ghost = Create("ghost"), old = Create("old");
        Assert.Equal(ghost, _run.Containers.Find("ghost").Id);
        Assert.Equal(old, _run.Containers.Find("old").Id);
    }

    [Fact]
    public void ARemovedContainersNameIsFreeAndItsLinkGone()
    {
        string first = Create("web");
        _run.Lifecycle.Remove(first, force: false);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Index));
        string second = Create("web");
        Assert.Equal(second, _run.Containers.Find("web").Id);
    }
}
