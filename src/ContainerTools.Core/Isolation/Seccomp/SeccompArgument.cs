namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>A condition on one syscall argument (index 0-5).</summary>
public sealed record SeccompArgument(uint Index, ulong Value, ulong ValueTwo, SeccompOperator Operator);
