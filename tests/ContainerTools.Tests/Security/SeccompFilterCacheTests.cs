using ContainerTools.Core;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

public sealed class SeccompFilterCacheTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    [Fact]
    public void FirstCompileStoresTheProgramLibseccompMakes()
    {
        var cache = new SeccompFilterCache(store.Location.SeccompDirectory);

        byte[] program = File.ReadAllBytes(cache.FileOf(SeccompProfile.Default, Capabilities.DockerDefault));

        Assert.Equal(SeccompCompiler.Compile(SeccompProfile.Default, Capabilities.DockerDefault), program);
        string file = Assert.Single(Directory.GetFiles(store.Location.SeccompDirectory));
        Assert.Equal(SeccompCompiler.Key(SeccompProfile.Default, Capabilities.DockerDefault) + ".bpf", Path.GetFileName(file));
        Assert.Equal(program, File.ReadAllBytes(file));
    }

    [Fact]
    public void LaterCompilesReadTheStoredProgram()
    {
        var cache = new SeccompFilterCache(store.Location.SeccompDirectory);
        cache.FileOf(SeccompProfile.Default, Capabilities.DockerDefault);
        string file = Assert.Single(Directory.GetFiles(store.Location.SeccompDirectory));
        // A marker in the file proves the second call read it rather than compiling again.
        byte[] marker = [1, 2, 3, 4, 5, 6, 7, 8];
        File.WriteAllBytes(file, marker);

        Assert.Equal(marker, File.ReadAllBytes(new SeccompFilterCache(store.Location.SeccompDirectory).FileOf(SeccompProfile.Default, Capabilities.DockerDefault)));
    }

    [Fact]
    public void AContainersFilterIsAHardLinkToTheCachedProgram()
    {
        string cached = new SeccompFilterCache(store.Location.SeccompDirectory).FileOf(SeccompProfile.Default, Capabilities.DockerDefault);
        string directory = store.Scratch("container");
        byte[] program = File.ReadAllBytes(cached);

        SeccompFilterFile.Link(directory, cached);

        string linked = Path.Combine(directory, SeccompFilterFile.Name);
        Assert.Equal(program, SeccompFilterFile.Read(directory));
        // One inode, two names: removing the container frees no data, and the cache keeps its file.
        Assert.Equal(Inode(cached), Inode(linked));
        File.Delete(linked);
        Assert.Equal(program, File.ReadAllBytes(cached));
    }

    [Fact]
    public void ACreationRefusedForItsNameLeavesNoNewFilterInTheCache()
    {
        var run = new ContainerRunner(store);
        run.Create(new ContainerOptions { Name = "taken", Command = ["true"] });
        var before = Directory.GetFiles(store.Location.SeccompDirectory);

        // SYS_ADMIN changes the rules: its filter would be a new file.
        var error = Assert.Throws<EngineException>(() => run.Create(new ContainerOptions { Name = "taken", Command = ["true"], CapabilityAdd = ["SYS_ADMIN"] }));

        Assert.Equal("ContainerNameInUse", error.ErrorId);
        Assert.Equal(before, Directory.GetFiles(store.Location.SeccompDirectory));
    }

    private static ulong Inode(string path) => ulong.Parse(Tool.Run("stat", "-c", "%i", path).Trim());

    [Fact]
    public void CapabilitiesThatChangeTheRulesGetTheirOwnProgram()
    {
        string[] withSysAdmin = [.. Capabilities.DockerDefault, "SYS_ADMIN"];
        var cache = new SeccompFilterCache(store.Location.SeccompDirectory);

        byte[] plain = File.ReadAllBytes(cache.FileOf(SeccompProfile.Default, Capabilities.DockerDefault));
        byte[] admin = File.ReadAllBytes(cache.FileOf(SeccompProfile.Default, withSysAdmin));

        Assert.NotEqual(SeccompCompiler.Key(SeccompProfile.Default, Capabilities.DockerDefault), SeccompCompiler.Key(SeccompProfile.Default, withSysAdmin));
        Assert.Equal(SeccompCompiler.Compile(SeccompProfile.Default, withSysAdmin), admin);
        Assert.NotEqual(plain, admin);
        Assert.Equal(2, Directory.GetFiles(store.Location.SeccompDirectory).Length);
    }

    [Fact]
    public void AProfileThatDiffersOnlyInAnArgumentConditionHasAnotherKey()
    {
        var one = SeccompProfile.Parse("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] } ] }""");
        var other = SeccompProfile.Parse("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 0, "value": 9, "op": "SCMP_CMP_EQ" } ] } ] }""");

        Assert.NotEqual(SeccompCompiler.Key(one, []), SeccompCompiler.Key(other, []));
        Assert.Equal(SeccompCompiler.Key(one, []), SeccompCompiler.Key(SeccompProfile.Parse("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] } ] }"""), []));
    }
}
