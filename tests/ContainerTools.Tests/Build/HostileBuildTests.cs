using System.Formats.Tar;
using System.Management.Automation;
using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;
using ContainerTools.Tests.Images;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Build;

/// <summary>
/// Build-ContainerImage given hostile or unusual Dockerfiles and contexts: each fails as an ErrorRecord naming
/// its Dockerfile line, before any step runs where it can, and leaves no image, container, mount or stray blob;
/// or builds what buildah builds.
/// </summary>
public sealed class HostileBuildTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;
    private readonly string _context;

    public HostileBuildTests()
    {
        _ps = Busybox.Session(_store);
        _context = _store.Scratch("context");
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    private void Write(string path, string content) => File.WriteAllText(Path.Combine(_context, path), content);

    private PowerShellResult Build() => _ps.Invoke($"Build-ContainerImage -Path '{_context}' -Tag test:1");

    private string[] Blobs() => Directory.GetFiles(Path.Combine(_store.Location.ImagesDirectory, "blobs", "sha256"));

    /// <summary>The build's one error, which must be <paramref name="errorId"/> of <paramref name="category"/>; the store has only busybox and nothing running.</summary>
    private ErrorRecord AssertFailed(PowerShellResult result, string errorId, ErrorCategory category)
    {
        var error = Assert.Single(result.AllErrors);
        Assert.Equal($"{errorId},ContainerTools.Cmdlets.BuildContainerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(["busybox:latest"], _ps.Run("Get-ContainerImage").Select(i => i.Text("Name")));
        Assert.Empty(_ps.Run("Get-Container"));
        Assert.DoesNotContain(_store.Path, File.ReadAllText("/proc/self/mountinfo"));
        return error;
    }

    private string Output(string command) =>
        string.Join('\n', _ps.Run($"Invoke-ContainerImage test:1 -Remove -Network none -Entrypoint sh -Command '-c', '{command}'").Select(o => o.ToString()));

    [Theory]
    [InlineData("/etc/passwd")] // absolute: inside the context there is no /etc/passwd
    [InlineData("../../../../etc/passwd")]
    [InlineData("missing")]
    [InlineData("link")] // a loop
    public void ASymlinkSourceThatLeadsNowhereInTheContextIsNotFoundBeforeAnyStepRuns(string linkTarget)
    {
        // Before, the check saw the link itself and passed; the RUN ran, then the COPY threw openat2's ENOENT
        // (or ELOOP) as an OperationStopped error naming the host path.
        File.CreateSymbolicLink(Path.Combine(_context, "link"), linkTarget);
        Write("Dockerfile", "FROM busybox\nRUN echo step-before-the-copy\nCOPY link /copied\n");
        var result = Build();
        var error = AssertFailed(result, "BuildSourceNotFound", ErrorCategory.ObjectNotFound);
        Assert.Equal("link", error.TargetObject);
        Assert.Contains("Dockerfile line 3", error.Exception.Message);
        Assert.DoesNotContain(result.Information, i => i.MessageData.ToString()!.Contains("step-before-the-copy"));
    }

    [Fact]
    public void ARunWhoseContainerCannotStartFailsAsItsStep()
    {
        // Before: ContainerStartFailed whose target was the throwaway container's generated name, already removed,
        // and no Dockerfile line in the message.
        Write("Dockerfile", "FROM busybox\nUSER nosuchuser\nRUN id\n");
        var error = AssertFailed(Build(), "BuildRunFailed", ErrorCategory.InvalidOperation);
        Assert.Equal("RUN /bin/sh -c id", error.TargetObject);
        Assert.Contains("Dockerfile line 3", error.Exception.Message);
        Assert.Contains("nosuchuser", error.Exception.Message);
    }

    [Fact]
    public void ACopyIntoADanglingSymlinkCreatesWhereItPointsInsideTheImage()
    {
        // As buildah: the links are followed inside the image, and a missing target is created. Before, a dangling
        // link in the destination threw openat2's ENOENT naming the build's temporary mount.
        Write("file.txt", "content\n");
        Write("Dockerfile", """
            FROM busybox
            RUN ln -s /missing/deep /absolute && ln -s ../../../../gone/../made /relative && mkdir /real && ln -s real /existing
            COPY file.txt /absolute/
            COPY file.txt /relative/
            COPY file.txt /existing/sub/
            WORKDIR /relative/work
            """);
        Assert.Empty(Build().AllErrors);
        Assert.Equal("/made\n/made/file.txt\n/made/work\n/missing/deep\n/missing/deep/file.txt\n/real\n/real/sub\n/real/sub/file.txt",
            Output("find /missing/deep /made /real | sort"));
        Assert.Equal("/missing/deep", Output("readlink /absolute"));
    }

    [Fact]
    public void ACopyIntoASymlinkLoopIsAnErrorRecord()
    {
        Write("file.txt", "content\n");
        Write("Dockerfile", "FROM busybox\nRUN ln -s loop2 /loop1 && ln -s loop1 /loop2\nCOPY file.txt /loop1/\n");
        var error = AssertFailed(Build(), "BuildDestinationSymlinkLoop", ErrorCategory.InvalidArgument);
        Assert.Contains("Dockerfile line 3", error.Exception.Message);
    }

    [Fact]
    public void AnImageWhoseConfigWouldBeTooLargeToReadIsRefusedAndLeavesNoBlob()
    {
        // Before: the 10 MB config was written, the store then refused to read it back (DocumentTooLarge, its
        // digest as the target) and the blob stayed.
        Write("Dockerfile", "FROM busybox\nLABEL big=" + new string('x', 5 * 1024 * 1024) + "\n");
        string[] before = Blobs();
        var error = AssertFailed(Build(), "BuildImageConfigTooLarge", ErrorCategory.LimitsExceeded);
        Assert.Contains("4194304", error.Exception.Message);
        Assert.Equal(before.Order(), Blobs().Order());
    }

    [Fact]
    public async Task AnImportDuringABuildDoesNotCollectTheLayersTheBuildHasMadeSoFar()
    {
        // Import-ContainerImage first tidies the store: blobs and layers no image references go unless an ingest
        // holds its lock. Before, a build did not: the COPY layer went while the RUN slept, and the next RUN failed
        // to mount it (or, after the last step, the image was registered without its layer blobs).
        Write("Dockerfile", "FROM busybox\nCOPY Dockerfile /copied\nRUN sleep 3\nRUN cat /copied\n");
        using var session = new PowerShellSession(_store);
        var build = Task.Run(() => session.Invoke($"Build-ContainerImage -Path '{_context}' -Tag test:1"), TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(Directory.Exists(_store.Location.ContainersDirectory) && Directory.EnumerateDirectories(_store.Location.ContainersDirectory).Any()) && !build.IsCompleted && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(build.IsCompleted, "the build ended before its RUN started");
        new ImageStore(_store.Location).Tidy();
        Assert.Empty((await build).AllErrors);
        Assert.Contains("COPY Dockerfile /copied", Output("cat /copied"));
    }

    [Theory]
    [InlineData("../../escape.txt", null)]
    [InlineData("hardlink", "../../../../etc/shadow")]
    public void AnAddedArchiveWhoseEntryLeavesItsDestinationIsRefusedAndLeavesNoBlob(string name, string? hardLinkTarget)
    {
        // Before, a hard link's target was not checked: the layer was written as a blob, its unpack then refused it
        // (LayerEntryEscapesRoot, naming no Dockerfile line) and the blob stayed.
        using (var archive = File.Create(Path.Combine(_context, "evil.tar")))
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "ok.txt") { DataStream = new MemoryStream("ok\n"u8.ToArray()) });
            writer.WriteEntry(hardLinkTarget is null
                ? new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("out\n"u8.ToArray()) }
                : new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = hardLinkTarget });
        }
        Write("Dockerfile", "FROM busybox\nADD evil.tar /x/\n");
        string[] before = Blobs();
        var error = AssertFailed(Build(), "BuildArchiveEscape", ErrorCategory.SecurityError);
        Assert.Equal(name, error.TargetObject);
        Assert.Contains("Dockerfile line 2", error.Exception.Message);
        Assert.Equal(before.Order(), Blobs().Order());
    }

    [Fact]
    public void FromForAnotherPlatformIsRefusedAndTheHostsPlatformBuilds()
    {
        // Before, --platform was parsed and ignored: the host's busybox was used and the image claimed the host's platform.
        string other = PlatformSelector.Host.Architecture == "amd64" ? "linux/arm64" : "linux/amd64";
        Write("Dockerfile", $"FROM --platform=$BUILDPLATFORM busybox AS tools\nFROM --platform={other} busybox\nCOPY --from=tools /bin/busybox /\n");
        var error = AssertFailed(Build(), "BuildPlatformNotSupported", ErrorCategory.NotImplemented);
        Assert.Equal(other, error.TargetObject);
        Assert.Contains("Dockerfile line 2", error.Exception.Message);

        Write("Dockerfile", $"FROM --platform=$BUILDPLATFORM busybox AS tools\nFROM --platform={other} busybox AS unused\nFROM --platform={PlatformSelector.Host} busybox\nCOPY --from=tools /bin/busybox /\n");
        Assert.Empty(Build().AllErrors);
    }

    [Theory]
    [InlineData("COPY . /app", "[\n", "DockerIgnoreSyntaxError", ErrorCategory.InvalidData, ".dockerignore: syntax error in pattern \"[\"")]
    [InlineData("COPY . /app", "keep\n[]\n", "DockerIgnoreSyntaxError", ErrorCategory.InvalidData, "syntax error in pattern \"[]\"")]
    [InlineData("COPY *[ /app/", "", "BuildInvalidPattern", ErrorCategory.InvalidArgument, "Dockerfile line 3: syntax error in pattern \"*[\"")]
    [InlineData("COPY [z-a]* /app/", "", "BuildInvalidPattern", ErrorCategory.InvalidArgument, "Dockerfile line 3: syntax error in pattern \"[z-a]*\"")]
    [InlineData("COPY --exclude=[ . /app", "", "BuildInvalidPattern", ErrorCategory.InvalidArgument, "Dockerfile line 3: --exclude: syntax error in pattern \"[\"")]
    public void AMalformedPatternIsAnErrorRecordBeforeAnyStepRuns(string copy, string dockerignore, string errorId, ErrorCategory category, string message)
    {
        // Before, each was a RegexParseException: a terminating error of category NotSpecified, naming a regex.
        Write(".dockerignore", dockerignore);
        Write("Dockerfile", $"FROM busybox\nRUN echo step-before-the-copy\n{copy}\n");
        var result = Build();
        var error = AssertFailed(result, errorId, category);
        Assert.Contains(message, error.Exception.Message);
        Assert.DoesNotContain(result.Information, i => i.MessageData.ToString()!.Contains("step-before-the-copy"));
    }

    [Theory]
    [InlineData("COPY file.txt /etc/passwd/")]
    [InlineData("COPY dir /etc/passwd")]
    [InlineData("COPY file.txt /etc/passwd/sub/file.txt")]
    [InlineData("WORKDIR /etc/passwd")]
    public void ADirectoryWhereTheImageHasAFileIsAnErrorRecord(string instruction)
    {
        // Before, the image's /etc/passwd was silently replaced by a directory; buildah and BuildKit refuse.
        Write("file.txt", "content\n");
        Directory.CreateDirectory(Path.Combine(_context, "dir"));
        Write("dir/inside.txt", "inside\n");
        Write("Dockerfile", $"FROM busybox\n{instruction}\n");
        var error = AssertFailed(Build(), "BuildDestinationNotDirectory", ErrorCategory.InvalidArgument);
        Assert.Equal("/etc/passwd", error.TargetObject);
        Assert.Contains("Dockerfile line 2", error.Exception.Message);
    }

    [Theory]
    [InlineData("RUN echo a\0b > /f")]
    [InlineData("WORKDIR /a\0b")]
    [InlineData("COPY Dockerfile /a\0b")]
    public void ANulCharacterInTheDockerfileIsASyntaxErrorNamingItsLine(string instruction)
    {
        // Before, a RUN was cut at the NUL and built ("echo a"), and a WORKDIR or COPY path with one wrote a layer
        // blob that its unpack then refused as leaving the layer root ("a name with '..'"), leaving the blob behind.
        Write("Dockerfile", $"FROM busybox\n{instruction}\n");
        string[] before = Blobs();
        var error = AssertFailed(Build(), "DockerfileSyntaxError", ErrorCategory.InvalidData);
        Assert.Equal("Dockerfile:2", error.TargetObject);
        Assert.Contains("NUL", error.Exception.Message);
        Assert.Equal(before.Order(), Blobs().Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnAddedArchiveCorruptAfterItsFirstEntryIsAnInvalidDataErrorAndLeavesNoBlob(bool gzipTruncated)
    {
        // Before, the first entry made it an archive and a later bad header (or a cut-off gzip stream) escaped as the
        // raw InvalidDataException: no Dockerfile line, no target, no category of its own.
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "ok.txt") { DataStream = new MemoryStream("ok\n"u8.ToArray()) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "second.txt") { DataStream = new MemoryStream(new byte[4096]) });
        }
        byte[] bytes = tar.ToArray();
        if (gzipTruncated)
        {
            var gzipped = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
                gzip.Write(bytes);
            bytes = gzipped.ToArray()[..(int)(gzipped.Length * 2 / 3)];
        }
        else
        {
            // The checksum field of the second entry's own header (the block whose name field is its name).
            int second = Enumerable.Range(1, bytes.Length / 512 - 1).Select(b => b * 512)
                .First(offset => System.Text.Encoding.ASCII.GetString(bytes, offset, 100).TrimEnd('\0') == "second.txt");
            bytes.AsSpan(second + 148, 8).Fill((byte)'x');
        }
        File.WriteAllBytes(Path.Combine(_context, "evil.tar"), bytes);
        Write("Dockerfile", "FROM busybox\nADD evil.tar /x/\n");
        string[] before = Blobs();
        var error = AssertFailed(Build(), "BuildArchiveCorrupt", ErrorCategory.InvalidData);
        Assert.Equal("evil.tar", error.TargetObject);
        Assert.Contains("Dockerfile line 2", error.Exception.Message);
        Assert.Equal(before.Order(), Blobs().Order());
    }

    [Fact]
    public void AnAddedArchiveWritingThroughItsOwnLinkLeavesNoBlob()
    {
        // The layer's unpack refuses it (as buildah's ADD does); before, the refused layer's blob stayed in the store.
        using (var archive = File.Create(Path.Combine(_context, "evil.tar")))
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "/etc" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "link/owned") { DataStream = new MemoryStream("owned\n"u8.ToArray()) });
        }
        Write("Dockerfile", "FROM busybox\nADD evil.tar /x/\n");
        string[] before = Blobs();
        var error = AssertFailed(Build(), "LayerEntryEscapesRoot", ErrorCategory.SecurityError);
        Assert.Equal("x/link/owned", error.TargetObject);
        Assert.Equal(before.Order(), Blobs().Order());
    }

    [Fact]
    public void AFailedRunQuotesTheEndOfItsLastLinesNotMegabytes()
    {
        // Before, the error quoted its last ten lines whole: a 1 MB line without a newline became a 1 MB message.
        Write("Dockerfile", "FROM busybox\nRUN head -c 1000000 /dev/zero | tr \"\\000\" x; echo; echo the-last-line; exit 3\n");
        var error = AssertFailed(Build(), "BuildRunFailed", ErrorCategory.InvalidOperation);
        Assert.Contains("exit code 3", error.Exception.Message);
        Assert.EndsWith("the-last-line", error.Exception.Message);
        Assert.InRange(error.Exception.Message.Length, 2000, 3000);
    }

    [Fact]
    public void AContextNestedDeeperThanAPathCanNameIsAnErrorRecord()
    {
        // Before: openat2's ENAMETOOLONG as a NativeCallFailed error of category OperationStopped.
        string deep = Path.Combine(_context, "deep");
        Directory.CreateDirectory(deep);
        try
        {
            // 2100 levels of "a/" (4200 bytes) made as two chains, each short enough to name, one moved into the other.
            string chain = string.Join('/', Enumerable.Repeat("a", 1050));
            Directory.CreateDirectory(Path.Combine(deep, chain));
            Directory.CreateDirectory(Path.Combine(_context, "upper", chain));
            Directory.Move(Path.Combine(_context, "upper", "a"), Path.Combine(deep, chain, "a"));
            Write("Dockerfile", "FROM busybox\nCOPY deep /deep\n");
            var error = AssertFailed(Build(), "BuildPathTooLong", ErrorCategory.LimitsExceeded);
            Assert.StartsWith("deep/a/a/", (string)error.TargetObject);
        }
        finally
        {
            Tool.Run("rm", "-rf", deep); // deeper than .NET's Directory.Delete can go
        }
    }
}
