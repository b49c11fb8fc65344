using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Tests.Support;

/// <summary>Runs real containers on a test store through the core, from a busybox root file system.</summary>
public sealed class ContainerRunner(TestStore store)
{
    private readonly Lazy<string> _rootfs = new(() => Busybox.CreateRootfs(store.Scratch("rootfs")));

    public ContainerStore Containers { get; } = new(store.Location);
    public ContainerLifecycle Lifecycle => new(Containers, Repository.Monitor);

    public ContainerImage Image(ImageDefaults? defaults = null) =>
        new("busybox-test", null, defaults ?? new ImageDefaults { Cmd = ["sh"] }, [_rootfs.Value]);

    public ContainerSnapshot Create(ContainerOptions options, ImageDefaults? defaults = null) =>
        Containers.Create(Image(defaults), options);

    public ContainerSnapshot Start(params string[] command) =>
        Lifecycle.Start(Create(new ContainerOptions { Command = command }).Id);

    /// <summary>Runs a command to its end; returns its exit code and its stdout / stderr lines.</summary>
    public (int? ExitCode, string Stdout, string Stderr) Run(ContainerOptions options, ImageDefaults? defaults = null)
    {
        var container = Create(options, defaults);
        Lifecycle.Start(container.Id);
        var ended = Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var entries = new List<LogEntry>();
        ContainerLog.Read(Containers.Paths(container.Id).Log, 0, entries);
        string Lines(string stream) => string.Join("\n", entries.Where(e => e.Stream == stream).Select(e => e.Log));
        return (ended.State.ExitCode, Lines(LogEntry.Stdout), Lines(LogEntry.Stderr));
    }

    /// <summary>Runs `sh -c script` and returns stdout, failing the test with stderr when it exits non-zero.</summary>
    public string Sh(string script) => Sh2(script);

    public string Sh2(string script, string? hostname = null)
    {
        var (code, stdout, stderr) = Run(new ContainerOptions { Command = ["sh", "-c", script], Hostname = hostname });
        Assert.True(code == 0, $"sh -c '{script}' exited {code}: {stderr}\n{stdout}");
        return stdout;
    }
}
