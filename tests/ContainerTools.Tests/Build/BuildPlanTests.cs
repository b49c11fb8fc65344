using ContainerTools.Core;
using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Tests.Build;

/// <summary>Stages, targets, build arguments and Docker's ARG/ENV scoping, without running anything.</summary>
public sealed class BuildPlanTests
{
    private static BuildPlan Plan(string text, Dictionary<string, string>? args = null, string? target = null) =>
        BuildPlan.Create(Dockerfile.Parse(text), new BuildArguments(args), target);

    private static StageSteps Evaluate(string text, Dictionary<string, string>? args = null, ImageSettings? baseSettings = null)
    {
        var plan = Plan(text, args);
        return StageEvaluator.Evaluate(plan, plan.Target, baseSettings ?? ImageSettings.Empty);
    }

    [Fact]
    public void StagesKnowTheirBasesAndDependencies()
    {
        var plan = Plan("""
            ARG BASE=busybox
            FROM ${BASE}:1 AS base
            FROM scratch AS tools
            FROM base AS build
            COPY --from=tools /a /a
            COPY --from=0 /b /b
            COPY --from=alpine:3 /c /c
            FROM build
            """);
        Assert.Equal(4, plan.Stages.Count);
        Assert.Equal(new ImageBase("busybox:1"), plan.Stages[0].Base);
        Assert.Equal(ScratchBase.Instance, plan.Stages[1].Base);
        Assert.Equal(new StageReference(0), plan.Stages[2].Base);
        Assert.Equal([0, 1], plan.Stages[2].DependsOn);
        Assert.Equal(new StageReference(2), plan.Stages[3].Base);
        Assert.Equal([0, 1, 2, 3], plan.Required.Select(s => s.Index));
    }

    [Fact]
    public void TargetBuildsOnlyWhatItNeeds()
    {
        var plan = Plan("""
            FROM scratch AS a
            FROM scratch AS b
            FROM a AS c
            FROM b AS d
            """, target: "C");
        Assert.Equal("c", plan.Target.Name);
        Assert.Equal([0, 2], plan.Required.Select(s => s.Index));
    }

    [Fact]
    public void AnUnknownTargetIsNotFound()
    {
        var e = Assert.Throws<EngineException>(() => Plan("FROM scratch AS a", target: "nope"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("nope", e.Target);
    }

    [Theory]
    [InlineData("RUN true", 1, "only ARG may come before the first FROM")]
    [InlineData("ARG A", 1, "no FROM")]
    [InlineData("FROM scratch AS a\nFROM scratch AS a", 2, "duplicate stage name")]
    [InlineData("ARG E\nFROM $E", 2, "should not be blank")]
    [InlineData("FROM scratch\nCOPY --from=0 a b", 2, "current or future build stage")]
    [InlineData("FROM scratch\nCOPY --from=5 a b", 2, "current or future build stage")]
    [InlineData("FROM ${X", 1, "missing '}'")]
    public void BadStructureIsInvalidDataNamingTheLine(string text, int line, string message)
    {
        var e = Assert.Throws<EngineException>(() => Plan(text));
        Assert.Equal(ErrorKind.InvalidData, e.Kind);
        Assert.Contains($"line {line}", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AStageNameUsedBeforeItsStageIsAnImage()
    {
        var plan = Plan("FROM later\nFROM scratch AS later");
        Assert.Equal(new ImageBase("later"), plan.Stages[0].Base);
    }

    [Fact]
    public void GlobalArgsReachAStageOnlyWhenRedeclared()
    {
        var steps = Evaluate("""
            ARG VERSION=1.0
            FROM scratch
            ENV BEFORE=[$VERSION]
            ARG VERSION
            ENV AFTER=[$VERSION]
            """);
        Assert.Equal(["PATH=" + ImageSettings.DefaultPath, "BEFORE=[]", "AFTER=[1.0]"], steps.Final.Env);
    }

    [Fact]
    public void BuildArgumentsOverrideDefaultsAndUnusedOnesAreReported()
    {
        var args = new Dictionary<string, string> { ["VERSION"] = "2.0", ["STRAY"] = "x", ["HTTP_PROXY"] = "http://p" };
        var plan = Plan("ARG VERSION=1.0\nFROM scratch\nARG VERSION\nARG LOCAL=l\nENV V=$VERSION L=$LOCAL", args);
        var steps = StageEvaluator.Evaluate(plan, plan.Target, ImageSettings.Empty);
        Assert.Equal("2.0", steps.Final.GetEnv("V"));
        Assert.Equal("l", steps.Final.GetEnv("L"));
        Assert.Equal(["STRAY"], plan.UnusedArguments);
    }

    [Fact]
    public void EnvWinsOverArgAndEachInstructionSeesTheValuesBeforeIt()
    {
        var steps = Evaluate("""
            FROM scratch
            ARG A=from-arg
            ENV A=from-env
            ENV B=$A
            ENV abc=hello
            ENV abc=bye def=$abc
            ENV ghi=$abc
            """);
        Assert.Equal("from-env", steps.Final.GetEnv("B"));
        Assert.Equal("hello", steps.Final.GetEnv("def"));
        Assert.Equal("bye", steps.Final.GetEnv("ghi"));
    }

    [Fact]
    public void ArgDefaultsSubstituteAndArgsAreScopedToTheirStage()
    {
        var plan = Plan("FROM scratch AS one\nARG X=1\nARG Y=${X}2\nENV Y=$Y\nFROM one\nENV Z=[$X]");
        var first = StageEvaluator.Evaluate(plan, plan.Stages[0], ImageSettings.Empty);
        Assert.Equal("12", first.Final.GetEnv("Y"));
        var second = StageEvaluator.Evaluate(plan, plan.Stages[1], first.Final);
        Assert.Equal("[]", second.Final.GetEnv("Z"));
        Assert.Equal("12", second.Final.GetEnv("Y"));
    }

    [Fact]
    public void PlatformArgsAreAutomaticInFromAndNeedDeclaringInAStage()
    {
        var plan = Plan("FROM img-$TARGETARCH\nENV A=[$TARGETOS]\nARG TARGETOS\nENV B=[$TARGETOS]");
        Assert.Equal(new ImageBase("img-" + BuildPlatform.Architecture), plan.Target.Base);
        var steps = StageEvaluator.Evaluate(plan, plan.Target, ImageSettings.Empty);
        Assert.Equal("[]", steps.Final.GetEnv("A"));
        Assert.Equal("[linux]", steps.Final.GetEnv("B"));
    }

    [Fact]
    public void ConfigInstructionsBuildTheImageConfig()
    {
        var steps = Evaluate("""
            FROM scratch
            ENV APP=/srv/app PORT=8080
            WORKDIR $APP
            WORKDIR sub/../bin
            USER ${USER:-app}:staff
            EXPOSE $PORT 53/UDP 9000-9002
            VOLUME ["/data", "$APP/cache"]
            VOLUME /logs
            LABEL org.example.name="my app" version=1
            LABEL version=2
            STOPSIGNAL SIGQUIT
            SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
            CMD run --port $PORT
            HEALTHCHECK --retries=2 CMD check
            ONBUILD RUN echo child
            MAINTAINER someone
            """);
        ImageSettings config = steps.Final;
        Assert.Equal("/srv/app/bin", config.WorkingDir);
        Assert.Equal("app:staff", config.User);
        Assert.Equal(["53/udp", "8080/tcp", "9000/tcp", "9001/tcp", "9002/tcp"], config.ExposedPorts);
        Assert.Equal(["/data", "/logs", "/srv/app/cache"], config.Volumes);
        Assert.Equal("my app", config.Labels["org.example.name"]);
        Assert.Equal("2", config.Labels["version"]);
        Assert.Equal("SIGQUIT", config.StopSignal);
        Assert.Equal(["/bin/ash", "-eo", "pipefail", "-c", "run --port $PORT"], config.Cmd);
        Assert.Equal(["CMD-SHELL", "check"], config.Healthcheck!.Test);
        Assert.Equal(["RUN echo child"], config.OnBuild);
        Assert.Equal("someone", config.Author);
        Assert.Null(config.Entrypoint);
    }

    [Fact]
    public void EntrypointDropsAnInheritedCmdButNotOneSetInTheStage()
    {
        var inherited = ImageSettings.Empty with { Cmd = ["sh"] };
        Assert.Null(Evaluate("FROM scratch\nENTRYPOINT [\"top\"]", baseSettings: inherited).Final.Cmd);
        var own = Evaluate("FROM scratch\nCMD [\"-b\"]\nENTRYPOINT [\"top\"]", baseSettings: inherited).Final;
        Assert.Equal(["-b"], own.Cmd);
        Assert.Equal(["top"], own.Entrypoint);
    }

    [Fact]
    public void RunSeesArgsAsEnvironmentAndTheyArePartOfItsHistoryLine()
    {
        var steps = Evaluate("FROM scratch\nARG A=1\nARG UNSET\nENV E=2\nRUN echo $A\nRUN [\"echo\", \"x\"]",
            new() { ["https_proxy"] = "http://proxy" });
        var runs = steps.Steps.OfType<RunStep>().ToList();
        Assert.Equal(["/bin/sh", "-c", "echo $A"], runs[0].Argv);
        Assert.Equal(["PATH=" + ImageSettings.DefaultPath, "E=2", "A=1", "https_proxy=http://proxy"], runs[0].Environment);
        Assert.Equal("RUN |1 A=1 /bin/sh -c echo $A", runs[0].CreatedBy);
        Assert.Equal("RUN |1 A=1 [\"echo\",\"x\"]", runs[1].CreatedBy);
    }

    [Fact]
    public void CopyStepsResolveDestinationSourcesAndModes()
    {
        var plan = Plan("FROM scratch AS src\nFROM scratch\nARG D=dst\nWORKDIR /app\nCOPY --from=src --chown=1:2 --chmod=640 a/$D b ./$D/\nADD x.tar .");
        var steps = StageEvaluator.Evaluate(plan, plan.Target, ImageSettings.Empty).Steps.OfType<CopyStep>().ToList();
        Assert.Equal(["a/dst", "b"], steps[0].Sources);
        Assert.Equal("/app/dst/", steps[0].Destination);
        Assert.Equal(new StageReference(0), steps[0].From);
        Assert.Equal(("1:2", 416), (steps[0].Chown, steps[0].Chmod));
        Assert.Equal("COPY --from=src --chown=1:2 --chmod=640 a/dst b /app/dst/", steps[0].CreatedBy);
        Assert.Equal("/app/", steps[1].Destination);
        Assert.Null(steps[1].From);
        Assert.True(steps[1].Copy.IsAdd);
    }

    [Theory]
    [InlineData("COPY --chmod=89 a b", "invalid chmod")]
    [InlineData("EXPOSE 70000", "invalid port")]
    [InlineData("EXPOSE 80/icmp", "invalid port spec")]
    [InlineData("STOPSIGNAL SIGBOGUS", "invalid signal")]
    [InlineData("VOLUME [\"\"]", "can not be an empty string")]
    [InlineData("ENV A=\"${B:?needs B}\"", "B: needs B")]
    public void BadValuesAfterSubstitutionAreInvalidData(string instruction, string message)
    {
        var e = Assert.Throws<EngineException>(() => Evaluate("FROM scratch\n" + instruction));
        Assert.Equal(ErrorKind.InvalidData, e.Kind);
        Assert.Contains("line 2", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AddFromAUrlIsNotImplemented()
    {
        var e = Assert.Throws<EngineException>(() => Evaluate("FROM scratch\nADD https://example.com/x /x"));
        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
    }

    [Fact]
    public void OnbuildTriggersOfTheBaseRunFirstAndAreNotInherited()
    {
        var parent = ImageSettings.Empty with { OnBuild = ["ENV FROM_TRIGGER=yes", "RUN touch /t"] };
        var steps = Evaluate("FROM scratch\nRUN true", baseSettings: parent);
        Assert.Equal(["ENV", "RUN", "RUN"], steps.Steps.Select(s => s.Instruction.Keyword));
        Assert.Equal("yes", steps.Final.GetEnv("FROM_TRIGGER"));
        Assert.Empty(steps.Final.OnBuild);
    }

    [Fact]
    public void EnvReplacesInPlaceAndPathIsAlwaysSet()
    {
        var parent = ImageSettings.Empty.WithEnv("A", "1").WithEnv("PATH", "/bin").WithEnv("B", "2");
        var steps = Evaluate("FROM scratch\nENV A=3", baseSettings: parent);
        Assert.Equal(["A=3", "PATH=/bin", "B=2"], steps.Final.Env);
    }
}
