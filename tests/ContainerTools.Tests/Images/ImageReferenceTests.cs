using ContainerTools.Core;
using ContainerTools.Core.Images;

namespace ContainerTools.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", "latest", null, "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io", "library/busybox", "1.36", null, "busybox:1.36")]
    [InlineData("docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", null, "busybox:latest")]
    [InlineData("index.docker.io/team/app", "docker.io", "team/app", "latest", null, "team/app:latest")]
    [InlineData("team/app:v2", "docker.io", "team/app", "v2", null, "team/app:v2")]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost/app:latest")]
    [InlineData("localhost:5000/team/app:1", "localhost:5000", "team/app", "1", null, "localhost:5000/team/app:1")]
    [InlineData("quay.io/a/b/c:x_y.z-1", "quay.io", "a/b/c", "x_y.z-1", null, "quay.io/a/b/c:x_y.z-1")]
    [InlineData("localhost:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "localhost:5000", "team/app", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "localhost:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void ParsesAndNormalisesTheDockerGrammar(string text, string registry, string repository, string? tag, string? digest, string familiar)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(familiar, reference.Familiar);
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("BusyBox")]
    [InlineData("busybox:")]
    [InlineData("busybox:-bad")]
    [InlineData("busybox:" + "tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt")]
    [InlineData("a//b")]
    [InlineData("app@sha256:1234")]
    [InlineData("../etc/passwd")]
    [InlineData("bad host!/app")]
    public void RejectsInvalidNamesWithAnInvalidArgument(string text)
    {
        Assert.False(ImageReference.TryParse(text, out _));
        var error = Assert.Throws<EngineException>(() => ImageReference.Parse(text));
        Assert.Equal("InvalidImageReference", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(text, error.Target);
    }

    [Fact]
    public void ChainIdsFollowTheOciSpec()
    {
        string a = "sha256:" + new string('a', 64), b = "sha256:" + new string('b', 64);
        Assert.Equal(a, Digest.Chain(null, a));
        Assert.Equal(Digest.Of(System.Text.Encoding.ASCII.GetBytes(a + " " + b)), Digest.Chain(a, b));
    }
}
