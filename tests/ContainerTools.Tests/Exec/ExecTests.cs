using System.Management.Automation;
using System.Text.RegularExpressions;
using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Exec;

/// <summary>Invoke-ContainerCommand and Get-ContainerProcess against real running containers.</summary>
public sealed class ExecTests : BusyboxSessionTest
{

    public ExecTests()
    {
        Ps.Run("New-Container busybox -Name web -Start -- sleep 300 | Out-Null");
    }

    private string Exec(string script) => ExecIn("web", script);

    [Fact]
    public void JoinsEveryNamespaceTheCgroupAndTheCapabilitiesOfTheContainer()
    {
        int init = (int)Ps.Run("(Get-Container web).Pid").Single().BaseObject;
        var namespaces = new[] { "pid", "mnt", "uts", "ipc", "net", "cgroup" };
        var inside = Exec("for n in pid mnt uts ipc net cgroup; do readlink /proc/self/ns/$n; done").Split('\n');
        Assert.Equal(namespaces.Select(n => new FileInfo($"/proc/{init}/ns/{n}").LinkTarget), inside);
        Assert.NotEqual(new FileInfo("/proc/self/ns/mnt").LinkTarget, inside[1]);
        // The cgroup namespace is rooted at the container's group: every hierarchy reads "/".
        Assert.All(Exec("cat /proc/self/cgroup").Split('\n'), line => Assert.EndsWith(":/", line));
        Assert.Equal(Exec("grep -E 'Cap(Eff|Bnd|Prm)|NoNewPrivs' /proc/1/status"), Exec("grep -E 'Cap(Eff|Bnd|Prm)|NoNewPrivs' /proc/self/status"));
        Assert.Equal("ok", Exec("test $(cat /etc/hostname) = $(hostname) && ls /proc/1/root/bin/busybox > /dev/null && echo ok"));
    }

    [Fact]
    public void LeaksNoHostDescriptorAndStartsInsideTheRoot()
    {
        // A descriptor this process opened without O_CLOEXEC: the very kind Process.Start passes on.
        int leaky = Errno.Check(Linux.openat(Linux.AT_FDCWD, "/etc/hostname", Linux.O_RDONLY, 0), "open", "/etc/hostname");
        try
        {
            // "; true": else the shell execs ls in its place and $$ would be ls, with its directory open.
            Assert.Equal("0\n1\n2", Exec("ls /proc/$$/fd; true"));
            Assert.Equal("/", Exec("readlink /proc/self/cwd"));
            Assert.Equal("/tmp", string.Join("", Ps.Run("Invoke-ContainerCommand web -WorkingDirectory /tmp readlink,/proc/self/cwd")));
        }
        finally
        {
            Linux.close(leaky);
        }
    }

    [Fact]
    public void StdoutGoesToThePipelineStderrToTheErrorStreamAndTheExitCodeToLastExitCode()
    {
        var result = Ps.Invoke("Invoke-ContainerCommand web sh,-c,'echo one; echo oops >&2; echo two; exit 3'; $LASTEXITCODE");
        Assert.Equal(new object[] { "one", "two", 3 }, result.Output.Select(o => o.BaseObject));
        var error = Assert.Single(result.Errors);
        Assert.Equal("oops", error.Exception.Message);
        Assert.Equal(new object[] { 0 }, Ps.Run("Invoke-ContainerCommand web true; $LASTEXITCODE").Select(o => o.BaseObject));
    }

    [Fact]
    public void PipelineInputIsTheCommandsStdinEachStringALineAndBytesAsTheyAre()
    {
        Assert.Equal(new object[] { "a", "b", 0 }, Ps.Run("'a','b' | Invoke-ContainerCommand web cat; $LASTEXITCODE").Select(o => o.BaseObject));
        Assert.Equal(new object[] { "z|x y" }, Ps.Run("'x y', 'z' | Invoke-ContainerCommand web sh,-c,'read a; read b; echo \"$b|$a\"'").Select(o => o.BaseObject));
        // A byte[] and single bytes go raw: no newline added, no text encoding.
        Assert.Equal("00 ff 0a 41", string.Join("", Ps.Run(",[byte[]](0, 255, 10) | Invoke-ContainerCommand web od,-An,-tx1; [byte]65 | Invoke-ContainerCommand web od,-An,-tx1").Select(o => o.BaseObject)).Trim().Replace("  ", " "));
        // Far more than a pipe holds, echoed back while it is still being written: nothing stalls.
        Assert.Equal(new object[] { 20000, "line 20000" }, Ps.Run("$out = 1..20000 | ForEach-Object { \"line $_\" } | Invoke-ContainerCommand web cat; $out.Count; $out[-1]").Select(o => o.BaseObject));
        // A command that reads nothing takes nothing, and that is no error.
        Assert.Equal(new object[] { 0 }, Ps.Run("1..50000 | Invoke-ContainerCommand web true; $LASTEXITCODE").Select(o => o.BaseObject));
        // An empty pipeline is an empty stdin; without a pipeline stdin is at its end, as before.
        Assert.Equal(new object[] { "0", "0" }, Ps.Run("@() | Invoke-ContainerCommand web wc,-c; Invoke-ContainerCommand web wc,-c").Select(o => o.BaseObject));
    }

    [Fact]
    public void PipedContainersAreTargetsAndPipedInputCannotGoToADetachedOrInteractiveCommand()
    {
        // Piped without a name, containers are where the command runs, once each, as before.
        Assert.Equal(Ps.Run("Invoke-ContainerCommand web hostname").Select(o => o.BaseObject), Ps.Run("Get-Container web | Invoke-ContainerCommand -Command hostname").Select(o => o.BaseObject));
        foreach (var option in new[] { "-Detach", "-Interactive" })
        {
            var refused = Assert.Single(Ps.Invoke($"'x' | Invoke-ContainerCommand web {option} cat").AllErrors);
            Assert.Equal("InputToDetachedOrTerminal,ContainerTools.Cmdlets.InvokeContainerCommandCommand", refused.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, refused.CategoryInfo.Category);
        }
    }

    [Fact]
    public void UserEnvironmentAndWorkingDirectoryApplyToTheCommandOnly()
    {
        var lines = Ps.Run("Invoke-ContainerCommand web -User nobody -Environment @{ GREETING = 'hi there' } -WorkingDirectory /home sh,-c,'id -u; echo $GREETING; pwd; echo $PATH'")
            .Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(["65534", "hi there", "/home"], lines.Take(3));
        Assert.Contains("/bin", lines[3]);
        Assert.Equal("0", Exec("id -u"));
        Assert.Equal("1000:1000", string.Join("", Ps.Run("Invoke-ContainerCommand web -User 1000:1000 sh,-c,'echo $(id -u):$(id -g)'").Select(o => o.BaseObject)));
        // docker exec -e NAME=value
        Assert.Equal("docker style", string.Join("", Ps.Run("Invoke-ContainerCommand web -Environment 'GREETING=docker style' sh,-c,'echo $GREETING'").Select(o => o.BaseObject)));
    }

    [Fact]
    public void BadInputIsAnErrorRecordThatChangesNothing()
    {
        var missing = Ps.Invoke("Invoke-ContainerCommand ghost true");
        Assert.Equal("ContainerNotFound,ContainerTools.Cmdlets.InvokeContainerCommandCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);

        var notFound = Ps.Invoke("Invoke-ContainerCommand web no-such-command; $LASTEXITCODE");
        Assert.Equal(new object[] { 127 }, notFound.Output.Select(o => o.BaseObject));
        Assert.Contains("no-such-command", Assert.Single(notFound.Errors).Exception.Message);

        // Detached, the command's own failure to exec still comes back: the caller waits for the exec.
        var detachedNotFound = Ps.Invoke("Invoke-ContainerCommand web -Detach no-such-command");
        Assert.Contains("no-such-command", Assert.Single(detachedNotFound.Errors).Exception.Message);

        var badUser = Ps.Invoke("Invoke-ContainerCommand web -User nosuchuser true; $LASTEXITCODE");
        Assert.Equal(new object[] { 126 }, badUser.Output.Select(o => o.BaseObject));
        Assert.Contains("nosuchuser", Assert.Single(badUser.Errors).Exception.Message);

        Ps.Run("New-Container busybox -Name idle sleep 300 | Out-Null");
        var notRunning = Ps.Invoke("Invoke-ContainerCommand idle true");
        var error = Assert.Single(notRunning.Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.StartsWith("ContainerNotRunning", error.FullyQualifiedErrorId);
        Assert.Equal("idle", error.TargetObject);
        Assert.Equal("Created", Ps.Run("(Get-Container idle).Status").Single().ToString());
    }

    [Fact]
    public void APausedContainerRefusesACommandInsteadOfFreezingTheCaller()
    {
        // The command joined the frozen cgroup and froze, and Invoke-ContainerCommand waited on it for ever.
        Ps.Run("Suspend-Container web");
        var error = Assert.Single(Ps.Invoke("Invoke-ContainerCommand web true").Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.StartsWith("ContainerPaused", error.FullyQualifiedErrorId);
        Assert.Equal("web", error.TargetObject);
        Ps.Run("Resume-Container web");
        Assert.Equal("ok", Exec("echo ok"));
    }

    [Fact]
    public void DetachedCommandKeepsRunningAndIsListedWithItsPidsUserAndMemory()
    {
        Ps.Run("Invoke-ContainerCommand web -Detach -User nobody sleep,200");
        var processes = Ps.Run("Get-ContainerProcess web");
        Assert.Equal(2, processes.Count);
        var detached = processes[1];
        Assert.Equal("sleep 200", detached.Properties["Command"].Value);
        Assert.Equal("nobody", detached.Properties["User"].Value);
        int hostPid = (int)detached.Properties["HostPid"].Value;
        Assert.Contains($"NSpid:\t{hostPid}\t{detached.Properties["Pid"].Value}", File.ReadAllText($"/proc/{hostPid}/status"));
        Assert.True((long)processes[0].Properties["MemoryBytes"].Value > 0);
        Assert.Equal(1, processes[0].Properties["Pid"].Value);

        string table = Regex.Replace(Ps.Render("Get-ContainerProcess web"), @"\x1b\[[0-9;]*m", "");
        Assert.Matches(@"Pid\s+HostPid\s+User\s+CPU %\s+Memory\s+Command", table);
        Assert.Matches(@"\s1\s+\d+\s+root\s+\d+\.\d\s+[\d.]+[kKMG]?B\s+sleep 300", table);
    }
}
