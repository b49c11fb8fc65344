using System.Globalization;
using System.Text.Json;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>Turns Docker-format profile JSON into a validated <see cref="SeccompProfile"/>, naming the first thing that is wrong.</summary>
internal static class SeccompProfileReader
{
    private const int MaxErrno = 4095;
    private const uint MaxArgumentIndex = 5;

    private static readonly Dictionary<string, SeccompAction> Actions = new(StringComparer.Ordinal)
    {
        ["SCMP_ACT_KILL"] = SeccompAction.KillThread,
        ["SCMP_ACT_KILL_THREAD"] = SeccompAction.KillThread,
        ["SCMP_ACT_KILL_PROCESS"] = SeccompAction.KillProcess,
        ["SCMP_ACT_TRAP"] = SeccompAction.Trap,
        ["SCMP_ACT_ERRNO"] = SeccompAction.Errno,
        ["SCMP_ACT_TRACE"] = SeccompAction.Trace,
        ["SCMP_ACT_ALLOW"] = SeccompAction.Allow,
        ["SCMP_ACT_LOG"] = SeccompAction.Log,
    };

    private static readonly Dictionary<string, SeccompOperator> Operators = new(StringComparer.Ordinal)
    {
        ["SCMP_CMP_NE"] = SeccompOperator.NotEqual,
        ["SCMP_CMP_LT"] = SeccompOperator.LessThan,
        ["SCMP_CMP_LE"] = SeccompOperator.LessOrEqual,
        ["SCMP_CMP_EQ"] = SeccompOperator.Equal,
        ["SCMP_CMP_GE"] = SeccompOperator.GreaterOrEqual,
        ["SCMP_CMP_GT"] = SeccompOperator.GreaterThan,
        ["SCMP_CMP_MASKED_EQ"] = SeccompOperator.MaskedEqual,
    };

    public static SeccompProfile Read(string json, string? source)
    {
        var invalid = new Invalid(source);
        SeccompProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfileDocument);
        }
        catch (JsonException e)
        {
            throw invalid.Because($"it is not valid profile JSON: {e.Message}", e);
        }
        if (document is null)
            throw invalid.Because("it is empty (null)");

        if (document.Flags is { Count: > 0 })
            throw invalid.Because("'flags' are not supported by this engine");
        if (document.ListenerPath is not null)
            throw invalid.Because("'listenerPath' (seccomp user notification) is not supported by this engine");

        var defaultAction = ReadAction(document.DefaultAction, "defaultAction", invalid);
        var architectures = (document.Architectures ?? []).Select((a, i) => ReadArchitecture(a, $"architectures[{i}]", invalid)).ToList();
        var archMap = (document.ArchMap ?? []).Select((m, i) => ReadArchMap(m, $"archMap[{i}]", invalid)).ToList();
        var syscalls = (document.Syscalls ?? []).Select((s, i) => ReadRule(s, $"syscalls[{i}]", invalid)).ToList();
        return new SeccompProfile(defaultAction, ReadErrno(document.DefaultErrnoRet, "defaultErrnoRet", invalid), architectures, archMap, syscalls);
    }

    private static SeccompArchMap ReadArchMap(SeccompArchMapDocument? map, string where, Invalid invalid)
    {
        if (map is null)
            throw invalid.Because($"{where} is null");
        var subs = (map.SubArchitectures ?? []).Select((a, i) => ReadArchitecture(a, $"{where}.subArchitectures[{i}]", invalid)).ToList();
        return new SeccompArchMap(ReadArchitecture(map.Architecture, $"{where}.architecture", invalid), subs);
    }

    private static SeccompSyscallRule ReadRule(SeccompSyscallDocument? rule, string where, Invalid invalid)
    {
        if (rule is null)
            throw invalid.Because($"{where} is null");
        var names = rule.Names ?? (rule.Name is null ? [] : [rule.Name]);
        if (names.Count == 0)
            throw invalid.Because($"{where} names no syscall ('names' is missing or empty)");
        for (int i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
                throw invalid.Because($"{where}.names[{i}] is empty");
        }

        var action = ReadAction(rule.Action, $"{where}.action", invalid);
        int? errno = ReadErrno(rule.ErrnoRet, $"{where}.errnoRet", invalid);
        if (errno is not null && action is not (SeccompAction.Errno or SeccompAction.Trace))
            throw invalid.Because($"{where}.errnoRet is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {rule.Action}");

        var args = (rule.Args ?? []).Select((a, i) => ReadArgument(a, $"{where}.args[{i}]", invalid)).ToList();
        return new SeccompSyscallRule(names, action, errno, args,
            ReadFilter(rule.Includes, $"{where}.includes", invalid), ReadFilter(rule.Excludes, $"{where}.excludes", invalid));
    }

    private static SeccompArgument ReadArgument(SeccompArgumentDocument? argument, string where, Invalid invalid)
    {
        if (argument is null)
            throw invalid.Because($"{where} is null");
        if (argument.Index is not { } index || index > MaxArgumentIndex)
            throw invalid.Because($"{where}.index must be a syscall argument index from 0 to {MaxArgumentIndex}");
        if (argument.Op is null || !Operators.TryGetValue(argument.Op, out var op))
            throw invalid.Because($"{where}.op '{argument.Op}' is not one of {string.Join(", ", Operators.Keys)}");
        return new SeccompArgument(index, argument.Value ?? 0, argument.ValueTwo ?? 0, op);
    }

    private static SeccompRuleFilter ReadFilter(SeccompFilterDocument? filter, string where, Invalid invalid)
    {
        if (filter is null)
            return SeccompRuleFilter.None;
        var caps = (filter.Caps ?? []).Select((c, i) => ReadCapability(c, $"{where}.caps[{i}]", invalid)).ToList();
        var arches = filter.Arches ?? [];
        if (arches.Any(string.IsNullOrWhiteSpace))
            throw invalid.Because($"{where}.arches has an empty name");
        Version? minKernel = null;
        if (!string.IsNullOrEmpty(filter.MinKernel) && !Version.TryParse(NormalizeKernel(filter.MinKernel), out minKernel))
            throw invalid.Because($"{where}.minKernel '{filter.MinKernel}' is not a kernel version such as 5.10");
        return new SeccompRuleFilter(caps, arches, minKernel);
    }

    private static string NormalizeKernel(string version) => version.Contains('.', StringComparison.Ordinal) ? version : version + ".0";

    private static string ReadCapability(string? name, string where, Invalid invalid)
    {
        try
        {
            return Capabilities.Parse(name ?? "");
        }
        catch (EngineException e)
        {
            throw invalid.Because($"{where}: {e.Message}", e);
        }
    }

    private static string ReadArchitecture(string? name, string where, Invalid invalid) =>
        name is not null && SeccompArchitecture.IsKnown(name)
            ? name
            : throw invalid.Because($"{where} '{name}' is not a seccomp architecture (SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ...)");

    private static SeccompAction ReadAction(string? name, string where, Invalid invalid)
    {
        if (name == "SCMP_ACT_NOTIFY")
            throw invalid.Because($"{where} SCMP_ACT_NOTIFY (seccomp user notification) is not supported by this engine");
        return name is not null && Actions.TryGetValue(name, out var action)
            ? action
            : throw invalid.Because($"{where} '{name}' is not one of {string.Join(", ", Actions.Keys)}");
    }

    private static int? ReadErrno(int? errno, string where, Invalid invalid) =>
        errno is null or (>= 0 and <= MaxErrno)
            ? errno
            : throw invalid.Because($"{where} {errno.Value.ToString(CultureInfo.InvariantCulture)} is not an errno (0-{MaxErrno})");

    /// <summary>Builds the one error every validation failure becomes, naming the profile it came from.</summary>
    private sealed class Invalid(string? source)
    {
        public EngineException Because(string reason, Exception? inner = null) =>
            new("InvalidSeccompProfile", ErrorKind.InvalidArgument, source ?? "seccomp profile",
                source is null ? $"The seccomp profile is invalid: {reason}." : $"The seccomp profile '{source}' is invalid: {reason}.", inner);
    }
}
