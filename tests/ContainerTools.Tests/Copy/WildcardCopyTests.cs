using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Copy;

/// <summary>Copy-ContainerItem -Path with wildcards on either side, as Copy-Item takes them, and -LiteralPath.</summary>
public sealed class WildcardCopyTests : BusyboxSessionTest
{
    private readonly string _host;

    public WildcardCopyTests()
    {
        Ps.Run("New-Container busybox -Name web -Start -- sleep 300 | Out-Null");
        _host = Store.Scratch("host");
    }

    private string Exec(string script) => ExecIn("web", script);

    private static string Names(string directory) =>
        string.Join(" ", Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));

    [Fact]
    public void ContainerWildcardsCopyEveryMatchResolvedInsideTheRoot()
    {
        Exec("mkdir -p /tmp/conf/sub; for f in a.conf B.CONF x.txt .hidden.conf sub/x.txt; do echo $f > /tmp/conf/$f; done; ln -s / /tmp/up");
        string output = Store.Scratch("out");

        Ps.Run($"Copy-ContainerItem web:/tmp/conf/*.conf '{output}'; Copy-ContainerItem 'web:/tmp/*/s?b/*.txt' '{output}'");

        Assert.Equal("B.CONF a.conf x.txt", Names(output));
        Assert.Equal("sub/x.txt\n", File.ReadAllText(Path.Combine(output, "x.txt")));
        // Through a link to / the pattern reaches the container's /etc, never the host's.
        string etc = Store.Scratch("etc");
        Ps.Run($"Copy-ContainerItem web:/tmp/up/etc/hostnam? '{etc}'");
        Assert.Equal(Exec("cat /etc/hostname") + "\n", File.ReadAllText(Path.Combine(etc, "hostname")));
    }

    [Fact]
    public void HostWildcardsCopyEveryMatchFromTheCurrentLocation()
    {
        Directory.CreateDirectory(Path.Combine(_host, "logs"));
        foreach (string name in new[] { "a.txt", "b.TXT", "c.log" })
            File.WriteAllText(Path.Combine(_host, "logs", name), name);

        // The session's own location (Set-Location is not loaded here), not the process's directory.
        Ps.Run($"$ExecutionContext.SessionState.Path.SetLocation('{_host}') | Out-Null; Copy-ContainerItem ./logs/*.txt web:/tmp/");

        Assert.Equal("a.txt\nb.TXT", Exec("ls /tmp"));
        Assert.Equal("b.TXT", Exec("cat /tmp/b.TXT"));
    }

    [Fact]
    public void APatternMatchingNothingIsObjectNotFoundAndSeveralMatchesNeedAnExistingDirectory()
    {
        Exec("touch /tmp/one /tmp/two");
        File.WriteAllText(Path.Combine(_host, "one"), "1");
        File.WriteAllText(Path.Combine(_host, "two"), "2");

        var noneInside = Assert.Single(Ps.Invoke($"Copy-ContainerItem web:/tmp/*.none '{_host}'").Errors);
        var noneOnHost = Assert.Single(Ps.Invoke($"Copy-ContainerItem '{_host}/*.none' web:/tmp").Errors);
        var severalOut = Assert.Single(Ps.Invoke($"Copy-ContainerItem 'web:/tmp/*' '{_host}/missing'").Errors);
        var severalIn = Assert.Single(Ps.Invoke($"Copy-ContainerItem '{_host}/*' web:/tmp/missing").Errors);

        Assert.Equal(("ContainerPathNotFound,ContainerTools.Cmdlets.CopyContainerItemCommand", ErrorCategory.ObjectNotFound, "/tmp/*.none"),
            (noneInside.FullyQualifiedErrorId, noneInside.CategoryInfo.Category, noneInside.TargetObject));
        Assert.Equal(("PathNotFound,ContainerTools.Cmdlets.CopyContainerItemCommand", ErrorCategory.ObjectNotFound, $"{_host}/*.none"),
            (noneOnHost.FullyQualifiedErrorId, noneOnHost.CategoryInfo.Category, noneOnHost.TargetObject));
        Assert.Equal(ErrorCategory.ObjectNotFound, severalOut.CategoryInfo.Category);
        Assert.Equal(ErrorCategory.ObjectNotFound, severalIn.CategoryInfo.Category);
        Assert.Equal("one two", Names(_host));
        Assert.Equal("one\ntwo", Exec("ls /tmp"));
    }

    [Fact]
    public void LiteralPathAndEscapesCopyNamesWithBrackets()
    {
        Directory.CreateDirectory(Path.Combine(_host, "in"));
        File.WriteAllText(Path.Combine(_host, "in", "x[1].txt"), "host");
        Exec("echo inside > '/tmp/y[2].txt'");
        string output = Store.Scratch("out");

        // As Copy-Item: -Path reads [1] as a set, which matches no x[1].txt.
        Assert.Single(Ps.Invoke($"Copy-ContainerItem '{_host}/in/x[1].txt' web:/tmp/").Errors);
        Ps.Run($"Copy-ContainerItem -LiteralPath '{_host}/in/x[1].txt' web:/tmp/; Copy-ContainerItem -LiteralPath 'web:/tmp/y[2].txt' '{output}'");
        Ps.Run($"Copy-ContainerItem 'web:/tmp/x`[1`].txt' '{output}/escaped'");
        // Piped files (Get-ChildItem's, which this session lacks) bind to -LiteralPath by FullName.
        Exec("mkdir /tmp/piped");
        Ps.Run($"[System.IO.DirectoryInfo]::new('{_host}/in').GetFiles() | Copy-ContainerItem -Destination web:/tmp/piped");

        Assert.Equal("host", Exec("cat '/tmp/x[1].txt'"));
        Assert.Equal("inside\n", File.ReadAllText(Path.Combine(output, "y[2].txt")));
        Assert.Equal("host", File.ReadAllText(Path.Combine(output, "escaped")));
        Assert.Equal("x[1].txt", Exec("ls /tmp/piped"));
    }
}
