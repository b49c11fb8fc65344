using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Tests.Build;

/// <summary>Docker's substitution rules (Dockerfile reference, "Environment replacement"; BuildKit's shell lexer tests).</summary>
public sealed class WordExpanderTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["FOO"] = "bar",
        ["EMPTY"] = "",
        ["SPACED"] = "a b",
        ["_x1"] = "under",
    };

    private static string Expand(string word, char escape = '\\') =>
        new WordExpander(name => Variables.GetValueOrDefault(name), escape).Expand(word);

    [Theory]
    [InlineData("$FOO", "bar")]
    [InlineData("${FOO}", "bar")]
    [InlineData("x${FOO}y", "xbary")]
    [InlineData("$FOO/baz", "bar/baz")]
    [InlineData("$_x1", "under")]
    [InlineData("$MISSING", "")]
    [InlineData("${MISSING}", "")]
    [InlineData("${MISSING:-dflt}", "dflt")]
    [InlineData("${EMPTY:-dflt}", "dflt")]
    [InlineData("${EMPTY-dflt}", "")]
    [InlineData("${MISSING-dflt}", "dflt")]
    [InlineData("${FOO:-dflt}", "bar")]
    [InlineData("${FOO:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${MISSING:+alt}", "")]
    [InlineData("${MISSING:-$FOO}", "bar")]
    [InlineData("${MISSING:-${FOO:+nested}}", "nested")]
    [InlineData("\\$FOO", "$FOO")]
    [InlineData("\\${FOO}", "${FOO}")]
    [InlineData("'$FOO'", "$FOO")]
    [InlineData("\"$FOO\"", "bar")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\nb\"", "a\\nb")]
    [InlineData("'a\\b'", "a\\b")]
    [InlineData("a\\ b", "a b")]
    [InlineData("$", "$")]
    [InlineData("a$", "a$")]
    [InlineData("$/x", "$/x")]
    [InlineData("\"$SPACED\"", "a b")]
    [InlineData("$1x", "x")]
    public void ExpandsAsDockerDoes(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Theory]
    [InlineData("`$FOO", "$FOO")]
    [InlineData("a\\b", "a\\b")]
    [InlineData("$FOO", "bar")]
    public void TheEscapeDirectiveChangesTheEscapeCharacter(string word, string expected) =>
        Assert.Equal(expected, Expand(word, '`'));

    [Theory]
    [InlineData("${FOO", "missing '}'")]
    [InlineData("${}", "bad substitution")]
    [InlineData("${:-x}", "bad substitution")]
    [InlineData("${FOO%x}", "unsupported modifier")]
    [InlineData("'open", "single-quote")]
    [InlineData("\"open", "double-quote")]
    [InlineData("${MISSING:?must be set}", "MISSING: must be set")]
    [InlineData("${EMPTY:?}", "EMPTY: is not allowed to be empty")]
    [InlineData("${MISSING?}", "MISSING: is not allowed to be unset")]
    public void MalformedOrRefusedSubstitutionsFail(string word, string message)
    {
        var e = Assert.Throws<FormatException>(() => Expand(word));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void QuestionModifierPassesSetValues()
    {
        Assert.Equal("bar", Expand("${FOO:?x}"));
        Assert.Equal("", Expand("${EMPTY?x}"));
    }
}
