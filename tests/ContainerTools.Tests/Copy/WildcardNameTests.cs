using ContainerTools.Core.Runtime;

namespace ContainerTools.Tests.Copy;

/// <summary>PowerShell's wildcard syntax for one name, as Copy-ContainerItem -Path matches it on both sides.</summary>
public sealed class WildcardNameTests
{
    [Theory]
    [InlineData("*.conf", "a.conf", true)]
    [InlineData("*.conf", "B.CONF", true)]
    [InlineData("*.conf", "a.conf.bak", false)]
    [InlineData("*.conf", ".hidden.conf", false)]
    [InlineData(".*", ".hidden", true)]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    [InlineData("log[0-9]", "log7", true)]
    [InlineData("log[0-9]", "logx", false)]
    [InlineData("[ab]*", "bee", true)]
    [InlineData("[ab]*", "cat", false)]
    [InlineData("[.^$]x*", "^x", true)]
    [InlineData("a(b)+*", "a(b)+c", true)]
    [InlineData("a(b)+*", "abbc", false)]
    [InlineData("x`[1`]*", "x[1].txt", true)]
    [InlineData("x`[1`]*", "x1.txt", false)]
    [InlineData("x[1]*", "x1.txt", true)]
    [InlineData("x[1]*", "x[1].txt", false)]
    public void MatchesAsPowerShellDoes(string pattern, string name, bool expected) =>
        Assert.Equal(expected, WildcardName.Parse(pattern)!.Matches(name));

    [Theory]
    [InlineData("hosts", "hosts")]
    [InlineData("x`[1`].txt", "x[1].txt")]
    [InlineData("a`*b", "a*b")]
    [InlineData("[]", "[]")]
    public void NamesWithoutWildcardsAreNamesWithTheirEscapesRemoved(string pattern, string name)
    {
        Assert.Null(WildcardName.Parse(pattern));
        Assert.Equal(name, WildcardName.Unescape(pattern));
    }
}
