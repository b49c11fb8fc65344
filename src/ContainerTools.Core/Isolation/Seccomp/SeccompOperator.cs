namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>How a rule compares a syscall argument (Docker's SCMP_CMP_* names; values are libseccomp's).</summary>
public enum SeccompOperator
{
    NotEqual = 1,
    LessThan = 2,
    LessOrEqual = 3,
    Equal = 4,
    GreaterOrEqual = 5,
    GreaterThan = 6,
    /// <summary>(argument &amp; Value) == ValueTwo.</summary>
    MaskedEqual = 7,
}
