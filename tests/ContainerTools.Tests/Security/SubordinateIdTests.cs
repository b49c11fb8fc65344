using ContainerTools.Core;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>The ids delegated for user namespaces (/etc/subuid's format) and a container's slice of them.</summary>
public sealed class SubordinateIdTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private string SubIdFile(string text)
    {
        string path = Path.Combine(store.Scratch("subid"), "subuid");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsTheOwnersRangesByNameOrUidAndSkipsOthersAndComments()
    {
        string path = SubIdFile("# delegated ids\nalice:100000:65536\n\ncontainers:200000:131072\n1000:400000:65536\ncontainers:600000:65536\n");

        Assert.Equal([new IdRange(200000, 131072), new IdRange(600000, 65536)], SubordinateIdFile.RangesOf(path, "containers"));
        Assert.Equal([new IdRange(400000, 65536)], SubordinateIdFile.RangesOf(path, "bob", ownerUid: 1000));
    }

    [Theory]
    [InlineData("containers:100000\n")]
    [InlineData("containers:100000:65536:1\n")]
    [InlineData("containers:-1:65536\n")]
    [InlineData("containers:100000:lots\n")]
    [InlineData("containers:100000:0\n")]
    [InlineData(":100000:65536\n")]
    [InlineData("containers:4294967295:65536\n")]
    public void MalformedLineIsInvalidDataNamingTheFileAndLine(string text)
    {
        string path = SubIdFile("alice:100000:65536\n" + text);

        var e = Assert.Throws<EngineException>(() => SubordinateIdFile.RangesOf(path, "containers"));

        Assert.Equal(("SubordinateIdFileMalformed", ErrorKind.InvalidData, path), (e.ErrorId, e.Kind, e.Target as string));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEntryOrFileIsReportedAsSuch()
    {
        var noEntry = Assert.Throws<EngineException>(() => SubordinateIdFile.RangesOf(SubIdFile("alice:100000:65536\n"), "containers"));
        var noFile = Assert.Throws<EngineException>(() => SubordinateIdFile.RangesOf(Path.Combine(store.Scratch("none"), "subuid"), "containers"));

        Assert.Equal(("SubordinateIdsMissing", ErrorKind.NotFound), (noEntry.ErrorId, noEntry.Kind));
        Assert.Equal(("SubordinateIdsMissing", ErrorKind.ResourceUnavailable), (noFile.ErrorId, noFile.Kind));
    }

    [Fact]
    public void SlicesAreDisjointAndAFreedSliceIsReused()
    {
        IdRange[] delegated = [new(100000, 3 * 65536)];
        var first = IdRangeAllocator.Allocate(delegated, [], 65536, "subuid");
        var second = IdRangeAllocator.Allocate(delegated, [first], 65536, "subuid");
        var third = IdRangeAllocator.Allocate(delegated, [first, second], 65536, "subuid");
        var again = IdRangeAllocator.Allocate(delegated, [first, third], 65536, "subuid");

        Assert.Equal([new(100000, 65536), new(165536, 65536), new(231072, 65536)], new[] { first, second, third });
        Assert.Equal(second, again);
    }

    [Fact]
    public void SliceSkipsOddSizedUsersAndMovesToTheNextDelegatedRange()
    {
        IdRange[] delegated = [new(100000, 100000), new(500000, 65536)];

        var slice = IdRangeAllocator.Allocate(delegated, [new(150000, 10), new(100000, 1000)], 65536, "subuid");

        Assert.Equal(new IdRange(500000, 65536), slice);
    }

    [Fact]
    public void TooSmallAndExhaustedAreLimitErrors()
    {
        var tooSmall = Assert.Throws<EngineException>(() => IdRangeAllocator.Allocate([new(100000, 1000)], [], 65536, "subuid"));
        var exhausted = Assert.Throws<EngineException>(() => IdRangeAllocator.Allocate([new(100000, 65536)], [new(100000, 65536)], 65536, "subuid"));

        Assert.Equal(("SubordinateIdsTooSmall", ErrorKind.LimitsExceeded), (tooSmall.ErrorId, tooSmall.Kind));
        Assert.Equal(("SubordinateIdsExhausted", ErrorKind.LimitsExceeded), (exhausted.ErrorId, exhausted.Kind));
    }
}
