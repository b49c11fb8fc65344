using ContainerTools.Core.Build.Context;

namespace ContainerTools.Tests.Build;

/// <summary>.dockerignore rules from the Dockerfile reference and moby's patternmatcher tests.</summary>
public sealed class DockerIgnoreTests
{
    [Theory]
    // Plain names match the path and everything below it.
    [InlineData("node_modules", "node_modules", true)]
    [InlineData("node_modules", "node_modules/x/y.js", true)]
    [InlineData("node_modules", "src/node_modules", false)]
    // A leading slash (and "./") means the context root.
    [InlineData("/secret", "secret", true)]
    [InlineData("./secret", "secret/key", true)]
    // * and ? stop at a slash.
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "somedir/temp", true)]
    [InlineData("*/temp*", "temp", false)]
    [InlineData("*/*/temp*", "a/b/temp.txt", true)]
    [InlineData("temp?", "temp1", true)]
    [InlineData("temp?", "temp12", false)]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    // ** crosses any number of directories, even none.
    [InlineData("**/*.go", "main.go", true)]
    [InlineData("**/*.go", "a/b/c/main.go", true)]
    [InlineData("a/**/z", "a/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    [InlineData("a/**", "a/b/c", true)]
    [InlineData("**", "anything/at/all", true)]
    // Character classes and escapes.
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[^0-9].txt", "file7.txt", false)]
    [InlineData("file[^0-9].txt", "filex.txt", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("a+(b)", "a+(b)", true)]
    public void MatchesAsDockerDoes(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    [Fact]
    public void TheLastMatchingLineWinsAndExceptionsReinclude()
    {
        var ignore = DockerIgnore.Parse("""
            # comment
            *.md
              !README*.md
            README-secret.md

            """);
        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("README-secret.md"));
        Assert.True(ignore.HasExceptions);
        Assert.Equal(3, ignore.Patterns.Count);
    }

    [Fact]
    public void AnExceptionBelowAnExcludedDirectoryReincludesThatFile()
    {
        var ignore = DockerIgnore.Parse("docs\n!docs/keep.txt");
        Assert.True(ignore.IsExcluded("docs/other.txt"));
        Assert.False(ignore.IsExcluded("docs/keep.txt"));
    }

    [Fact]
    public void CommentsMustStartTheLine()
    {
        Assert.False(DockerIgnore.Parse("#x").IsExcluded("#x"));
        Assert.True(DockerIgnore.Parse(" #x").IsExcluded("#x"));
    }

    [Fact]
    public void ADockerfileSpecificIgnoreFileWinsOverTheContextOne()
    {
        string dir = Directory.CreateTempSubdirectory("ctt-ignore-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, ".dockerignore"), "general");
            File.WriteAllText(Path.Combine(dir, "app.Dockerfile"), "FROM scratch");
            Assert.True(DockerIgnore.ForBuild(dir, Path.Combine(dir, "app.Dockerfile")).IsExcluded("general"));
            File.WriteAllText(Path.Combine(dir, "app.Dockerfile.dockerignore"), "specific");
            var ignore = DockerIgnore.ForBuild(dir, Path.Combine(dir, "app.Dockerfile"));
            Assert.True(ignore.IsExcluded("specific"));
            Assert.False(ignore.IsExcluded("general"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
