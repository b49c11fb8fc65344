using System.Runtime.InteropServices;
using ContainerTools.Core.Isolation.Seccomp;

namespace ContainerTools.Tests.Security;

/// <summary>
/// The loader on a dedicated thread of this process (a filter binds the thread that loads it and threads it
/// creates later). The filter only touches getpriority with an argument nothing else uses, so the thread
/// pool threads this thread might start are unaffected.
/// </summary>
public sealed partial class SeccompLoaderTests
{
    private const long SYS_getpriority = 140;
    private const long Marker = 0xDEAD;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long first, long second);

    private static int ErrnoOfGetpriority() =>
        Syscall(SYS_getpriority, Marker, 0) == -1 ? Marshal.GetLastPInvokeError() : 0;

    [Fact]
    public void LoadedFilterBindsTheLoadingThreadOnly()
    {
        var profile = SeccompProfile.Parse("""
            { "defaultAction": "SCMP_ACT_ALLOW",
              "syscalls": [ { "names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42,
                              "args": [ { "index": 0, "value": 57005, "op": "SCMP_CMP_EQ" } ] } ] }
            """);
        byte[] filter = SeccompCompiler.Compile(profile, []);
        int filtered = 0;
        Exception? failure = null;

        // Root holds CAP_SYS_ADMIN, so the kernel takes the filter without no_new_privs.
        var thread = new Thread(() =>
        {
            try
            {
                SeccompLoader.Load(filter);
                filtered = ErrnoOfGetpriority();
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();

        Assert.Null(failure);
        Assert.Equal(42, filtered);
        Assert.Equal(22, ErrnoOfGetpriority()); // EINVAL: this thread has no filter
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void RejectsBytesThatAreNotAProgram(int length) =>
        Assert.Throws<ArgumentException>(() => SeccompLoader.Load(new byte[length]));
}
