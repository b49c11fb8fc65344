using ContainerTools.Core;
using ContainerTools.Core.Build.Cache;
using ContainerTools.Core.Build.Context;
using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Build.Syntax;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Build;

/// <summary>COPY sources in a real context directory: globs, .dockerignore, escapes, and what the cache key sees.</summary>
public sealed class BuildContextTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly string _dir;

    public BuildContextTests()
    {
        _dir = _store.Scratch("context");
        Write("app/main.go", "package main");
        Write("app/util.go", "package main // util");
        Write("app/README.md", "read me");
        Write("docs/a.txt", "a");
        Write("docs/keep.txt", "keep");
        Write("top.txt", "top");
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
    }

    public void Dispose() => _store.Dispose();

    private void Write(string path, string content)
    {
        string full = Path.Combine(_dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private BuildContext Open(string ignore = "") => BuildContext.Open(_dir, DockerIgnore.Parse(ignore));

    private string Digest(string source, string ignore = "", string excludes = "")
    {
        using var context = Open(ignore);
        return ContentDigest.Of(context, context.Expand(source, "test"), DockerIgnore.Parse(excludes));
    }

    [Theory]
    [InlineData("top.txt", new[] { "top.txt" })]
    [InlineData("/top.txt", new[] { "top.txt" })]
    [InlineData("./app/../top.txt", new[] { "top.txt" })]
    [InlineData(".", new[] { "." })]
    [InlineData("app/*.go", new[] { "app/main.go", "app/util.go" })]
    [InlineData("*/a.txt", new[] { "docs/a.txt" })]
    [InlineData("app/?ain.go", new[] { "app/main.go" })]
    [InlineData("[ad]*", new[] { "app", "docs" })]
    public void ExpandsSourcesInsideTheContext(string source, string[] expected)
    {
        using var context = Open();
        Assert.Equal(expected, context.Expand(source, "test"));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("app/../../outside")]
    public void ASourceOutsideTheContextIsRefused(string source)
    {
        using var context = Open();
        var e = Assert.Throws<EngineException>(() => context.Expand(source, "Dockerfile line 3"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(source, e.Target);
        Assert.Contains("Dockerfile line 3", e.Message);
    }

    [Theory]
    [InlineData("missing.txt", "")]
    [InlineData("app/*.rs", "")]
    [InlineData("top.txt", "top.txt")]
    [InlineData("app/main.go", "app")]
    public void AMissingOrIgnoredSourceIsNotFound(string source, string ignore)
    {
        using var context = Open(ignore);
        var e = Assert.Throws<EngineException>(() => context.Expand(source, "test"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void SymlinksCannotLeaveTheContext()
    {
        string outside = _store.Scratch("outside");
        File.WriteAllText(Path.Combine(outside, "secret"), "secret");
        File.CreateSymbolicLink(Path.Combine(_dir, "abs"), Path.Combine(outside, "secret"));
        Directory.CreateSymbolicLink(Path.Combine(_dir, "up"), "../outside");
        using var context = Open();
        // Resolved as if the context were "/": the absolute target and ".." both stay inside, where nothing is.
        Assert.Throws<EngineException>(() => ContentDigest.Of(context, context.Expand("up/secret", "test"), DockerIgnore.None));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => context.Expand("abs", "test")).Kind);
    }

    [Fact]
    public void ASymlinkInsideTheContextIsCopiedAsItsTarget()
    {
        File.CreateSymbolicLink(Path.Combine(_dir, "link.txt"), "/top.txt");
        string before = Digest("link.txt");
        File.WriteAllText(Path.Combine(_dir, "top.txt"), "new content");
        Assert.NotEqual(before, Digest("link.txt"));
    }

    [Fact]
    public void TheDigestFollowsContentModeAndOwnerButNotTime()
    {
        string before = Digest("app");
        Assert.Equal(before, Digest("app"));
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "app/main.go"), DateTime.UtcNow.AddDays(-3));
        Assert.Equal(before, Digest("app"));

        File.WriteAllText(Path.Combine(_dir, "app/main.go"), "package main2");
        string content = Digest("app");
        Assert.NotEqual(before, content);

        File.SetUnixFileMode(Path.Combine(_dir, "app/main.go"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        string mode = Digest("app");
        Assert.NotEqual(content, mode);

        Tool.Run("chown", "1234:5678", Path.Combine(_dir, "app/main.go"));
        Assert.NotEqual(mode, Digest("app"));
    }

    [Fact]
    public void IgnoredAndExcludedFilesDoNotCount()
    {
        string all = Digest("docs");
        string ignored = Digest("docs", ignore: "docs/a.txt");
        Assert.NotEqual(all, ignored);
        Assert.Equal(ignored, Digest("docs", ignore: "docs/a.txt\ndocs/other-missing"));
        Assert.Equal(ignored, Digest("docs", excludes: "a.txt"));
        // An ignored file's content no longer matters.
        File.WriteAllText(Path.Combine(_dir, "docs/a.txt"), "changed");
        Assert.Equal(ignored, Digest("docs", ignore: "docs/a.txt"));
        // An exception re-includes a file below an ignored directory, and only that file counts.
        string onlyKeep = Digest(".", ignore: "*\n!docs/keep.txt");
        File.WriteAllText(Path.Combine(_dir, "app/main.go"), "ignored change");
        Assert.Equal(onlyKeep, Digest(".", ignore: "*\n!docs/keep.txt"));
        File.WriteAllText(Path.Combine(_dir, "docs/keep.txt"), "counted change");
        Assert.NotEqual(onlyKeep, Digest(".", ignore: "*\n!docs/keep.txt"));
    }

    [Fact]
    public void AMissingContextIsNotFound()
    {
        var e = Assert.Throws<EngineException>(() => BuildContext.Open(Path.Combine(_dir, "nope"), DockerIgnore.None));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void CacheKeysChainSoOnlyStepsFromAChangeOnwardDiffer()
    {
        const string text = "FROM scratch\nENV A=1\nCOPY app /app\nRUN build\nCOPY top.txt /\nRUN test";
        var plan = BuildPlan.Create(Dockerfile.Parse(text));
        var steps = StageEvaluator.Evaluate(plan, plan.Target, ImageSettings.Empty).Steps;

        List<CacheKey> Keys()
        {
            using var context = Open();
            var keys = new List<CacheKey>();
            var key = CacheKey.Scratch;
            foreach (var step in steps)
            {
                string? digest = step is CopyStep copy
                    ? ContentDigest.Of(context, copy.Sources.SelectMany(s => context.Expand(s, "test")), DockerIgnore.None)
                    : null;
                keys.Add(key = key.Next(step, digest));
            }
            return keys;
        }

        var first = Keys();
        Assert.Equal(first, Keys());
        Assert.Equal(first.Count, first.Distinct().Count());
        File.WriteAllText(Path.Combine(_dir, "top.txt"), "changed");
        var second = Keys();
        Assert.Equal(first.Take(3), second.Take(3));
        Assert.NotEqual(first[3], second[3]);
        Assert.NotEqual(first[4], second[4]);
        Assert.NotEqual(CacheKey.Scratch, CacheKey.ForImage("sha256:00"));
        Assert.Throws<ArgumentException>(() => CacheKey.Scratch.Next(steps[1]));
    }
}
