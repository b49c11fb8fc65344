using ContainerTools.Core;
using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Tests.Build;

/// <summary>The Dockerfile grammar, against the Dockerfile reference.</summary>
public sealed class DockerfileParserTests
{
    private static T Single<T>(string text) where T : Instruction =>
        Assert.IsType<T>(Assert.Single(Dockerfile.Parse(text).Instructions.Skip(text.StartsWith("FROM", StringComparison.Ordinal) ? 1 : 0)));

    [Fact]
    public void ParsesEveryInstructionKeywordCaseInsensitively()
    {
        var file = Dockerfile.Parse("""
            arg BASE=busybox
            from $BASE as Build
            run echo hi
            cmd ["sh"]
            entrypoint sh -c
            env A=1
            label a=b
            workdir /w
            user nobody
            copy a /b
            add a /b
            expose 80
            volume /data
            shell ["/bin/bash", "-c"]
            stopsignal SIGINT
            healthcheck NONE
            onbuild RUN true
            maintainer me
            """);
        Assert.Equal(
            ["ARG", "FROM", "RUN", "CMD", "ENTRYPOINT", "ENV", "LABEL", "WORKDIR", "USER", "COPY", "ADD", "EXPOSE", "VOLUME",
             "SHELL", "STOPSIGNAL", "HEALTHCHECK", "ONBUILD", "MAINTAINER"],
            file.Instructions.Select(i => i.Keyword));
        Assert.Equal("build", ((FromInstruction)file.Instructions[1]).StageName);
        Assert.Equal(Enumerable.Range(1, 18), file.Instructions.Select(i => i.Line));
    }

    [Fact]
    public void JoinsContinuationsSkippingCommentsAndBlankLinesAndKeepsTheFirstLineNumber()
    {
        var file = Dockerfile.Parse("""
            # a comment

            FROM scratch
            RUN echo a \
            # inside: dropped
                b \

              c
            COPY x /y
            """);
        var run = Assert.IsType<RunInstruction>(file.Instructions[1]);
        Assert.Equal(4, run.Line);
        Assert.True(run.Command.IsShellForm);
        Assert.Equal("echo a     b   c", run.Command.Arguments[0]);
        Assert.Equal(9, file.Instructions[2].Line);
    }

    [Fact]
    public void BlanksAfterTheContinuationCharacterAreAllowed()
    {
        var run = Single<RunInstruction>("FROM scratch\nRUN a \\  \t\nb");
        Assert.Equal("a b", run.Command.Arguments[0]);
    }

    [Fact]
    public void TheEscapeDirectiveSwitchesTheContinuationCharacter()
    {
        var file = Dockerfile.Parse("# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\nCOPY . c:\\app");
        Assert.Equal('`', file.Escape);
        Assert.Equal("dir c:\\   /w", ((RunInstruction)file.Instructions[1]).Command.Arguments[0]);
        Assert.Equal("c:\\app", ((CopyInstruction)file.Instructions[2]).Destination);
    }

    [Fact]
    public void DirectivesCountOnlyBeforeAnythingElse()
    {
        // After a comment, "# escape=`" is a comment too; the syntax directive is accepted and ignored.
        var file = Dockerfile.Parse("# syntax=docker/dockerfile:1\n# hello\n# escape=`\nFROM scratch\nRUN a \\\nb");
        Assert.Equal('\\', file.Escape);
        Assert.Equal("a b", ((RunInstruction)file.Instructions[1]).Command.Arguments[0]);
    }

    [Theory]
    [InlineData("# escape=x\nFROM scratch", 1, "invalid escape token")]
    [InlineData("# escape=`\n# escape=\\\nFROM scratch", 2, "only one escape parser directive")]
    [InlineData("FROM scratch\nFROBNICATE x", 2, "unknown instruction: FROBNICATE")]
    [InlineData("FROM scratch\n\n\nRUN ok\nCPY a b", 5, "unknown instruction: CPY")]
    [InlineData("FROM a b", 1, "one or three arguments")]
    [InlineData("FROM a AS 1x", 1, "invalid name for build stage")]
    [InlineData("FROM scratch\nRUN", 2, "at least one argument")]
    [InlineData("FROM scratch\nRUN []", 2, "at least one argument")]
    [InlineData("FROM scratch\nCOPY onlyone", 2, "at least two arguments")]
    [InlineData("FROM scratch\nCOPY --bogus=1 a b", 2, "unknown flag: bogus")]
    [InlineData("FROM scratch\nCOPY --from=a --from=b a b", 2, "duplicate flag")]
    [InlineData("FROM scratch\nADD --from=a a b", 2, "unknown flag: from")]
    [InlineData("FROM scratch\nENV", 2, "at least one argument")]
    [InlineData("FROM scratch\nENV ONLYNAME", 2, "must have two arguments")]
    [InlineData("FROM scratch\nENV a=1 b", 2, "can't find =")]
    [InlineData("FROM scratch\nSHELL /bin/sh -c", 2, "JSON form")]
    [InlineData("FROM scratch\nCMD [1, 2]", 2, "strings only")]
    [InlineData("FROM scratch\nWORKDIR", 2, "exactly one argument")]
    [InlineData("FROM scratch\nHEALTHCHECK --interval=1h NONE", 2, "NONE takes no arguments")]
    [InlineData("FROM scratch\nHEALTHCHECK WHAT x", 2, "try CMD")]
    [InlineData("FROM scratch\nHEALTHCHECK --interval=10 CMD x", 2, "invalid duration")]
    [InlineData("FROM scratch\nHEALTHCHECK --timeout=1us CMD x", 2, "less than 1ms")]
    [InlineData("FROM scratch\nHEALTHCHECK --retries=-1 CMD x", 2, "cannot be negative")]
    [InlineData("FROM scratch\nONBUILD ONBUILD RUN x", 2, "isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM scratch\nONBUILD FROM x", 2, "isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM scratch\nARG 9lives", 2, "invalid argument name")]
    [InlineData("FROM scratch\nRUN --network=bogus true", 2, "unsupported network mode")]
    public void BadInputIsInvalidDataNamingTheLine(string text, int line, string message)
    {
        var e = Assert.Throws<EngineException>(() => Dockerfile.Parse(text, "Dockerfile"));
        Assert.Equal(ErrorKind.InvalidData, e.Kind);
        Assert.Equal($"Dockerfile:{line}", e.Target);
        Assert.Contains($"line {line}", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("RUN --mount=type=cache,target=/x true")]
    [InlineData("COPY --parents a b")]
    [InlineData("ADD --checksum=sha256:0 a b")]
    public void FeaturesWeLackAreNotImplementedErrors(string instruction)
    {
        var e = Assert.Throws<EngineException>(() => Dockerfile.Parse("FROM scratch\n" + instruction));
        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Contains("line 2", e.Message);
    }

    [Theory]
    [InlineData("RUN echo hi", true, new[] { "echo hi" })]
    [InlineData("RUN [\"echo\", \"hi\"]", false, new[] { "echo", "hi" })]
    [InlineData("RUN [ \"echo\" ,\"a b\" ]", false, new[] { "echo", "a b" })]
    [InlineData("RUN [echo, hi]", true, new[] { "[echo, hi]" })]
    [InlineData("RUN [\"unterminated\"", true, new[] { "[\"unterminated\"" })]
    [InlineData("CMD", false, new string[0])]
    [InlineData("CMD []", false, new string[0])]
    public void TellsExecFormFromShellForm(string instruction, bool shell, string[] arguments)
    {
        var command = Dockerfile.Parse("FROM scratch\n" + instruction).Instructions[1] switch
        {
            RunInstruction r => r.Command,
            CmdInstruction c => c.Command,
            var other => throw new InvalidOperationException(other.ToString()),
        };
        Assert.Equal(shell, command.IsShellForm);
        Assert.Equal(arguments, command.Arguments);
    }

    [Fact]
    public void EnvTakesPairsWithQuotesOrTheLegacyForm()
    {
        var pairs = Single<EnvInstruction>("FROM scratch\nENV A=1 B=\"two words\" C=three\\ words D=").Variables;
        Assert.Equal([new("A", "1"), new("B", "\"two words\""), new("C", "three\\ words"), new("D", "")], pairs);
        var legacy = Single<EnvInstruction>("FROM scratch\nENV NAME the rest  of it").Variables;
        Assert.Equal([new KeyValue("NAME", "the rest  of it")], legacy);
    }

    [Fact]
    public void ArgTakesSeveralNamesWithOrWithoutDefaults()
    {
        var arg = Single<ArgInstruction>("FROM scratch\nARG A B=2 C=\"x y\"");
        Assert.Equal([new("A", null), new("B", "2"), new("C", "\"x y\"")], arg.Arguments);
    }

    [Fact]
    public void CopyTakesFlagsGlobsAndTheJsonForm()
    {
        var copy = Single<CopyInstruction>("FROM scratch\nCOPY --from=build --chown=1:2 --chmod=0755 --link --exclude=*.md --exclude=x \"*.txt\" dir/ /dst/");
        Assert.Equal(["\"*.txt\"", "dir/"], copy.Sources);
        Assert.Equal("/dst/", copy.Destination);
        Assert.Equal(("build", "1:2", "0755"), (copy.From, copy.Chown, copy.Chmod));
        Assert.Equal(["*.md", "x"], copy.Excludes);
        var json = Single<CopyInstruction>("FROM scratch\nADD [\"a b\", \"/c d\"]");
        Assert.True(json.IsAdd);
        Assert.Equal(["a b"], json.Sources);
        Assert.Equal("/c d", json.Destination);
    }

    [Fact]
    public void HealthcheckKeepsOptionsAndTheTestForm()
    {
        var check = Single<HealthcheckInstruction>("FROM scratch\nHEALTHCHECK --interval=1m30s --timeout=500ms --start-period=1.5s --start-interval=2s --retries=4 CMD curl -f http://x/").Check!;
        Assert.Equal(["CMD-SHELL", "curl -f http://x/"], check.Test);
        Assert.Equal(TimeSpan.FromSeconds(90), check.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), check.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1.5), check.StartPeriod);
        Assert.Equal(TimeSpan.FromSeconds(2), check.StartInterval);
        Assert.Equal(4, check.Retries);
        Assert.Equal(["CMD", "true"], Single<HealthcheckInstruction>("FROM scratch\nHEALTHCHECK CMD [\"true\"]").Check!.Test);
        Assert.Null(Single<HealthcheckInstruction>("FROM scratch\nHEALTHCHECK NONE").Check);
    }

    [Fact]
    public void OnbuildKeepsTheTriggerTextAndParsesIt()
    {
        var onbuild = Single<OnbuildInstruction>("FROM scratch\nONBUILD  COPY --chown=1 a /b");
        Assert.Equal("COPY --chown=1 a /b", onbuild.Trigger);
        Assert.Equal("1", Assert.IsType<CopyInstruction>(onbuild.Parsed).Chown);
    }

    [Fact]
    public void FromKeepsPlatformAndStageName()
    {
        var from = Assert.IsType<FromInstruction>(Dockerfile.Parse("FROM --platform=linux/amd64 alpine:3 AS Base").Instructions[0]);
        Assert.Equal(("alpine:3", "base", "linux/amd64"), (from.Image, from.StageName, from.Platform));
    }

    [Fact]
    public void ByteOrderMarkAndWindowsLineEndingsAreAccepted()
    {
        var file = Dockerfile.Parse("\uFEFFFROM scratch\r\nRUN a \\\r\n b\r\n");
        Assert.Equal("a  b", ((RunInstruction)file.Instructions[1]).Command.Arguments[0]);
    }
}
