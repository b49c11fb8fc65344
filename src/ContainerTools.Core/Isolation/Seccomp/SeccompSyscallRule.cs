namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// One entry of a profile's "syscalls": the action for these syscall names, when every argument condition
/// holds, under the conditions of <see cref="Includes"/> and not of <see cref="Excludes"/>.
/// </summary>
public sealed record SeccompSyscallRule(
    IReadOnlyList<string> Names,
    SeccompAction Action,
    int? ErrnoRet,
    IReadOnlyList<SeccompArgument> Arguments,
    SeccompRuleFilter Includes,
    SeccompRuleFilter Excludes)
{
    public SeccompSyscallRule(IReadOnlyList<string> names, SeccompAction action)
        : this(names, action, null, [], SeccompRuleFilter.None, SeccompRuleFilter.None)
    {
    }
}
