using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>The module's face for limits and statistics, through the real PowerShell engine.</summary>
public sealed class LimitParametersTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public LimitParametersTests() => _ps = new PowerShellSession(_store);

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    [Theory]
    [InlineData("512MB", 512L << 20)]
    [InlineData("'512m'", 512L << 20)]
    [InlineData("'1.5g'", 3L << 29)]
    [InlineData("1.5GB", 3L << 29)]
    [InlineData("1048576", 1048576L)]
    [InlineData("-1", -1L)]
    public void SizeParametersTakeNumbersAndDockerStrings(string argument, long expected)
    {
        var output = _ps.Run($"& {{ param([ContainerTools.Transforms.ByteSizeTransformation()][Nullable[long]]$Memory) $Memory }} {argument}");
        Assert.Equal(expected, (long)output.Single().BaseObject);
    }

    [Fact]
    public void AStringThatIsNotASizeFailsBindingWithTheReason()
    {
        var result = _ps.Invoke("& { param([ContainerTools.Transforms.ByteSizeTransformation()][Nullable[long]]$Memory) $Memory } '12 parsecs'");
        var error = Assert.Single(result.AllErrors);
        Assert.Contains("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.Contains("is not a size", error.ToString());
    }

    [Fact]
    public void StatisticsRenderLikeDockerStats()
    {
        string text = Plain(_ps.Render("""
            [ContainerTools.Core.Statistics.ContainerStatistic]::new('0123456789abcdef0123', 'web', 45.678, 64MB, 128MB, 50, 1536, 2048, 0, 4MB, 3, [DateTimeOffset]::UtcNow)
            """));
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE / LIMIT\s+MEM %\s+NET I/O\s+BLOCK I/O\s+PIDS$", lines[0]);
        Assert.Matches(@"^0123456789ab\s+web\s+45\.68%\s+64MiB / 128MiB\s+50\.00%\s+1\.5KiB / 2KiB\s+0B / 4MiB\s+3$", lines[2]);
    }

    /// <summary>The hosted console renders headers in colour; the columns are what matters here.</summary>
    public static string Plain(string rendered) => System.Text.RegularExpressions.Regex.Replace(rendered, "\x1b\\[[0-9;]*m", "");
}
