namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// A seccomp profile in Docker's JSON model: a default action and per-syscall rules, some conditional on the
/// container's capabilities, architecture or kernel. Compile it with <see cref="SeccompCompiler"/>.
/// </summary>
public sealed record SeccompProfile(
    SeccompAction DefaultAction,
    int? DefaultErrnoRet,
    IReadOnlyList<string> Architectures,
    IReadOnlyList<SeccompArchMap> ArchMap,
    IReadOnlyList<SeccompSyscallRule> Syscalls)
{
    /// <summary>The engine's default profile, equivalent to Docker's default.</summary>
    public static SeccompProfile Default { get; } = DefaultSeccompProfile.Create();

    /// <summary>Parses a profile in Docker's JSON format.</summary>
    /// <param name="source">What to name in errors (the file path), if the text came from somewhere.</param>
    /// <exception cref="EngineException">InvalidSeccompProfile (InvalidArgument) naming what is wrong.</exception>
    public static SeccompProfile Parse(string json, string? source = null) => SeccompProfileReader.Read(json, source);

    /// <summary>Reads and parses a profile file.</summary>
    /// <exception cref="EngineException">SeccompProfileNotFound (NotFound), or InvalidSeccompProfile.</exception>
    public static SeccompProfile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EngineException("SeccompProfileNotFound", ErrorKind.NotFound, path, $"The seccomp profile '{path}' does not exist.", e);
        }
        return Parse(json, path);
    }

    /// <summary>
    /// The SCMP_ARCH_* names the filter covers on this machine: "architectures" when given, else the archMap
    /// entry of the native architecture and its sub-architectures (as Docker chooses them).
    /// </summary>
    public IReadOnlyList<string> ArchitecturesForThisMachine()
    {
        if (Architectures.Count > 0)
            return Architectures;
        string native = SeccompArchitecture.Native;
        return [.. ArchMap.Where(m => m.Architecture == native).SelectMany(m => m.SubArchitectures.Prepend(m.Architecture)).Distinct()];
    }
}
