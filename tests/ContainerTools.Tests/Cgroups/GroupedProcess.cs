using System.Diagnostics;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>
/// A busybox shell started by a test and moved into a cgroup while it waits on stdin: nothing it does after
/// <see cref="Release"/> happens outside the group. Its $0 is the test store's path, so the store's cleanup
/// finds it and every process it forks even when the test fails.
/// </summary>
public sealed class GroupedProcess : IDisposable
{
    private readonly Process _process;

    public GroupedProcess(TestStore store, ICgroup group, string script)
    {
        var start = new ProcessStartInfo(Busybox.Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "sh", "-c", "read go; " + script, store.Path })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        group.AddProcess(_process.Id);
    }

    public int Id => _process.Id;

    /// <summary>Lets the script run (it starts with a read from stdin).</summary>
    public void Release() => _process.StandardInput.WriteLine("go");

    /// <summary>Sends another line, for scripts that wait again.</summary>
    public void Send(string line) => _process.StandardInput.WriteLine(line);

    public (int ExitCode, string Output) WaitForExit()
    {
        string output = _process.StandardOutput.ReadToEnd() + _process.StandardError.ReadToEnd();
        Assert.True(_process.WaitForExit(60_000), "the grouped process did not exit");
        return (_process.ExitCode, output);
    }

    public string ReadLine() => _process.StandardOutput.ReadLine() ?? "";

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
