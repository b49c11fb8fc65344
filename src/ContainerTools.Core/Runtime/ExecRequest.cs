using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// What `ctmon exec` is told on its command line: whose namespaces to join (the init, by host pid), its
/// cgroup, and the process to become (the container's spec with the exec's args, user, env and cwd).
/// Everything is read before joining the mount namespace, after which host files are out of reach.
/// </summary>
public sealed record ExecRequest
{
    public required int InitPid { get; init; }
    public required string CgroupPath { get; init; }
    public required RuntimeSpec Spec { get; init; }
    /// <summary>The container's folder, where its compiled seccomp filter is (read before joining the mount namespace).</summary>
    public required string ContainerDirectory { get; init; }
    public bool Detach { get; init; }
    /// <summary>N of the container's /dev/pts/N the command gets as its controlling terminal and stdio.</summary>
    public int? Terminal { get; init; }
    /// <summary>
    /// The read end of a pipe the helper waits on, until its end, before it execs: `ctrun exec --detach` holds
    /// the write end until it exits, so the command cannot end while ctrun is still its parent (its .NET
    /// Process would reap it, and the caller, conmon as subreaper, would never learn its exit code).
    /// </summary>
    public int? HoldUntilClosed { get; init; }
    /// <summary>
    /// The write end of a pipe for a failure before the command runs, as an <see cref="ExecFailure"/> rather than a
    /// line on stderr; close-on-exec in the helper, so its end of file tells the caller the command started.
    /// </summary>
    public int? FailureReport { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ExecJsonContext.Default.ExecRequest);

    public static ExecRequest FromJson(string json) =>
        JsonSerializer.Deserialize(json, ExecJsonContext.Default.ExecRequest)
        ?? throw new EngineException("InvalidExecRequest", ErrorKind.InvalidData, null, "the exec request is empty");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExecRequest))]
[JsonSerializable(typeof(ExecFailure))]
internal sealed partial class ExecJsonContext : JsonSerializerContext;
