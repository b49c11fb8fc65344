using ContainerTools.Core;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>
/// How a command finds its container: a full id, a name, or an id prefix, names first (as docker does); a prefix
/// two containers share is refused.
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
}
