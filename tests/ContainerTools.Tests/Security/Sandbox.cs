using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Security;

/// <summary>
/// Runs a host command in a bubblewrap sandbox (host root read-only, own pid/net/ipc/uts namespaces) with a
/// chosen capability set and, optionally, a compiled seccomp filter that bwrap loads with --seccomp FD:
/// a real process under our BPF before the container runtime exists.
/// </summary>
internal sealed class Sandbox(string scratch)
{
    /// <summary>Capabilities the sandboxed process holds: all by default, so an EPERM comes from the filter.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = ContainerTools.Core.Isolation.Capabilities.All;

    public (int ExitCode, string Stdout, string Stderr) Run(byte[]? filter, params string[] command)
    {
        var bwrap = new List<string> { "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--unshare-all", "--die-with-parent", "--cap-drop", "ALL" };
        foreach (string capability in Capabilities)
            bwrap.AddRange(["--cap-add", capability]);
        if (filter is null)
            return Tool.TryRun("bwrap", [.. bwrap, .. command]);

        // The filter reaches bwrap as fd 9 through a shell redirection, so no descriptor of this test process is inherited.
        string file = Path.Combine(scratch, $"filter-{Guid.NewGuid():N}.bpf");
        File.WriteAllBytes(file, filter);
        return Tool.TryRun("/bin/sh", ["-c", "f=$1; shift; exec bwrap --seccomp 9 \"$@\" 9<\"$f\"", "sh", file, .. bwrap, .. command]);
    }

    /// <summary>Makes one raw syscall in the sandbox (perl's syscall) and returns its errno, 0 when it succeeded.</summary>
    public int Syscall(byte[]? filter, long number, params long[] args)
    {
        var result = Run(filter, ["perl", "-e", "my ($n, @a) = map { $_ + 0 } @ARGV; my $r = syscall($n, @a); print $r < 0 ? $! + 0 : 0",
            number.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args.Select(a => a.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.True(result.ExitCode == 0, $"perl in the sandbox exited {result.ExitCode}: {result.Stderr}");
        return int.Parse(result.Stdout, System.Globalization.CultureInfo.InvariantCulture);
    }
}
