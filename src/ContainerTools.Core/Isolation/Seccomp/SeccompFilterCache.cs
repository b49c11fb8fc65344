using ContainerTools.Core.Store;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// Compiled filters kept in the store as seccomp/&lt;key&gt;.bpf (key: <see cref="SeccompCompiler.Key"/>):
/// libseccomp spends tens of milliseconds on the default profile, which every container create would pay
/// again for the same bytes. Written atomically and synced, so a file present is a whole program.
/// </summary>
public sealed class SeccompFilterCache(string directory)
{
    /// <summary>The file holding the program, compiled and written first when it is not there yet; never changed once written.</summary>
    public string FileOf(SeccompProfile profile, IReadOnlyCollection<string> capabilities)
    {
        string path = Path.Combine(directory, SeccompCompiler.Key(profile, capabilities) + ".bpf");
        if (!File.Exists(path))
            AtomicFile.WriteAllBytes(path, SeccompCompiler.Compile(profile, capabilities));
        return path;
    }
}
