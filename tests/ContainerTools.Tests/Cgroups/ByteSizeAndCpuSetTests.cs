using ContainerTools.Core;
using ContainerTools.Core.Isolation.Cgroups;

namespace ContainerTools.Tests.Cgroups;

public sealed class ByteSizeAndCpuSetTests
{
    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("512m", 512L << 20)]
    [InlineData("512MB", 512L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("10kb", 10240L)]
    [InlineData(" 64 M ", 64L << 20)]
    [InlineData("100b", 100L)]
    [InlineData("-1", -1L)]
    public void ParsesDockerAndPowerShellSizes(string text, long expected) =>
        Assert.Equal(expected, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("--5m")]
    [InlineData("12x")]
    [InlineData("1.2.3g")]
    [InlineData("99999999999t")]
    public void RejectsWhatIsNotASize(string text)
    {
        var e = Assert.Throws<EngineException>(() => ByteSize.Parse(text));
        Assert.Equal("InvalidSize", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(text, e.Target);
    }

    [Theory]
    [InlineData(512L, "512B")]
    [InlineData(64L << 20, "64MiB")]
    [InlineData(3L << 29, "1.5GiB")]
    public void FormatsLikeDockerStats(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void ParsesCpuLists()
    {
        Assert.Equal([0, 1, 3], CpuSet.Parse("0-1,3"));
        Assert.Equal([2], CpuSet.Parse("2"));
        foreach (string bad in new[] { "", "a", "1-", "3-1", "0,,1", "-1" })
            Assert.Equal("InvalidCpuset", Assert.Throws<EngineException>(() => CpuSet.Parse(bad)).ErrorId);
    }

    [Fact]
    public void ParsesDeviceRates()
    {
        Assert.Equal(new DeviceRate("/dev/sda", 10L << 20), DeviceRate.Parse("/dev/sda:10mb"));
        Assert.Equal("InvalidDeviceRate", Assert.Throws<EngineException>(() => DeviceRate.Parse("/dev/sda")).ErrorId);
        Assert.Equal("InvalidSize", Assert.Throws<EngineException>(() => DeviceRate.Parse("/dev/sda:fast")).ErrorId);
    }
}
