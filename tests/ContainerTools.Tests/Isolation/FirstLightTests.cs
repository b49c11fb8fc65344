using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Isolation;

public sealed class FirstLightTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly ContainerRunner _run;

    public FirstLightTests() => _run = new ContainerRunner(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void EchoRunsAndExits()
    {
        var (code, stdout, stderr) = _run.Run(new ContainerOptions { Command = ["sh", "-c", "echo hello; echo oops >&2; exit 3"] });
        Assert.Equal("hello", stdout);
        Assert.Equal("oops", stderr);
        Assert.Equal(3, code);
    }
}
