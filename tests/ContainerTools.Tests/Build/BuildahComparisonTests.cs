using System.Text.Json.Nodes;
using ContainerTools.Core.Build.Execution;
using ContainerTools.Core.Build.Layers;
using ContainerTools.Core.Images;
using ContainerTools.Tests.Images;
using ContainerTools.Tests.Registry;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Build;

/// <summary>
/// Issue 8's check against a peer: one multi-stage Dockerfile built by us and by `buildah bud` (throwaway
/// storage, both pulling the same base from the registry fixture) gives the same file tree and config.
/// </summary>
public sealed class BuildahComparisonTests : RegistrySessionTest
{
    private const string Buildah = "/usr/bin/buildah";

    private const string Dockerfile = """
        ARG BASE
        FROM $BASE AS build
        WORKDIR /src
        RUN mkdir -p out/sub && echo one > out/a.txt && echo two > out/b.txt && ln -s a.txt out/link && chmod 640 out/b.txt && echo three > out/sub/c.txt
        RUN echo changed >> out/a.txt && rm out/sub/c.txt && chown 1000:1000 out/b.txt

        FROM $BASE
        ENV GREETING=hello DEPTH=2
        LABEL org.example.name=compare version=1
        WORKDIR /app
        COPY --from=build /src/out/ ./
        RUN mkdir -p /home/app && chown 1000:1000 /home/app && rm /etc/marker && echo changed > /etc/motd
        USER app
        RUN echo made-by-app > /home/app/mine.txt
        EXPOSE 8080 53/udp
        ENTRYPOINT ["/bin/sh", "-c"]
        CMD ["echo $GREETING"]
        """;

    private readonly string _context;

    public BuildahComparisonTests()
    {
        _context = Store.Scratch("context");
        File.WriteAllText(Path.Combine(_context, "Dockerfile"), Dockerfile);
    }

    [Fact]
    public void TheSameDockerfileGivesBuildahsFilesAndConfig()
    {
        Assert.SkipUnless(File.Exists(Buildah), "buildah is not installed");
        string baseImage = Serve(LocalRegistry.Start(Store)).Publish("library/busybox:1", "base");

        Ps.Run($"Build-ContainerImage -Path '{_context}' -Tag ours:1 -BuildArgument @{{ BASE = '{baseImage}' }} | Out-Null");
        var images = new ImageStore(Store.Location);
        var ours = images.Resolve("ours:1");
        List<string> ourTree;
        using (var view = RootView.Mount(StageResult.FromImage(images, ours).Directories(images), Store.Location.TempDirectory))
            ourTree = Comparable(FileTree.Describe(view.Path));

        var buildah = new BuildahStorage(Store.Scratch("buildah"));
        buildah.Run("bud", "--isolation", "chroot", "--tls-verify=false", "--build-arg", "BASE=" + baseImage, "-t", "theirs:1", _context);
        var theirTree = Comparable(FileTree.Describe(buildah.Mount("theirs:1")));

        var differences = theirTree.Except(ourTree).Select(line => "only buildah's: " + line)
            .Concat(ourTree.Except(theirTree).Select(line => "only ours: " + line)).ToList();
        Assert.True(differences.Count == 0, string.Join('\n', differences));
        var theirConfig = JsonNode.Parse(buildah.Run("inspect", "--type", "image", "theirs:1"))!["OCIv1"]!["config"]!;
        var ourConfig = ours.Config;
        Assert.Equal(Strings(theirConfig["Env"]), ourConfig.Env);
        Assert.Equal(Strings(theirConfig["Entrypoint"]), ourConfig.Entrypoint);
        Assert.Equal(Strings(theirConfig["Cmd"]), ourConfig.Cmd);
        Assert.Equal(theirConfig["WorkingDir"]?.GetValue<string>() ?? "", ourConfig.WorkingDir);
        Assert.Equal(theirConfig["User"]?.GetValue<string>() ?? "", ourConfig.User);
        Assert.Equal(Keys(theirConfig["ExposedPorts"]), ourConfig.ExposedPorts);
        Assert.Equal(Labels(theirConfig["Labels"]), ourConfig.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}").ToList());
    }

    /// <summary>
    /// A tree listing without what may differ by design: buildah's RUN can leave empty mount points for the
    /// files it binds into the container (/etc/hosts, /etc/resolv.conf, /etc/hostname, /run/.containerenv).
    /// Timestamps are not in the listing; buildah's io.buildah.version label is left out of the labels.
    /// </summary>
    private static List<string> Comparable(string tree) =>
        tree.Split('\n').Where(line => !Added.Contains(line.Split('|')[0])).ToList();

    private static readonly HashSet<string> Added = new(StringComparer.Ordinal) { "etc/hosts", "etc/resolv.conf", "etc/hostname", "run", "run/.containerenv" };

    private static List<string> Strings(JsonNode? array) => array?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];

    private static List<string> Keys(JsonNode? map) => map?.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList() ?? [];

    /// <summary>Labels but buildah's own (io.buildah.version, which it adds by design).</summary>
    private static List<string> Labels(JsonNode? map) =>
        map?.AsObject().Where(p => !p.Key.StartsWith("io.buildah.", StringComparison.Ordinal))
            .Select(p => $"{p.Key}={p.Value!.GetValue<string>()}").Order(StringComparer.Ordinal).ToList() ?? [];

    /// <summary>buildah with its own storage (vfs, so an image's root is a plain directory) inside the test's folder.</summary>
    private sealed class BuildahStorage(string directory)
    {
        public string Run(params string[] args) =>
            Tool.Run(Buildah, new[] { "--root", Path.Combine(directory, "root"), "--runroot", Path.Combine(directory, "run"), "--storage-driver", "vfs" }.Concat(args), stdin: null);

        /// <summary>The root file system of a working container made from <paramref name="image"/>.</summary>
        public string Mount(string image)
        {
            string container = Run("from", "--pull-never", image).Trim();
            return Run("mount", container).Trim();
        }
    }
}
