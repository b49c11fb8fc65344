using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ContainerTools.Tests.Support;

/// <summary>
/// A terminal the test drives: a tmux server of its own (its own socket, so parallel tests never meet) with
/// one window running a command; keys are typed into it and the screen is read back.
/// </summary>
public sealed class Tmux : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _socket = "ctt-" + Guid.NewGuid().ToString("N");

    /// <summary>A real pwsh on a 100x30 terminal, with the module imported on <paramref name="store"/>, as a user has it.</summary>
    public static Tmux PwshOn(TestStore store) =>
        new($"{Pwsh.Executable} -NoProfile -NoExit -File {Pwsh.ScriptFile(store, "$ErrorActionPreference = 'Continue'")}", 100, 30);

    public Tmux(string command, int width, int height)
    {
        Assert.SkipWhen(!File.Exists("/usr/bin/tmux"), "tmux is not installed: this test needs a terminal it can drive");
        Run("new-session", "-d", "-x", width.ToString(), "-y", height.ToString(), command);
    }

    /// <summary>Types text (literally) and presses Enter.</summary>
    public void TypeLine(string text)
    {
        Run("send-keys", "-l", text);
        Run("send-keys", "Enter");
    }

    /// <summary>Presses keys by tmux name (C-c, Enter).</summary>
    public void Press(string key) => Run("send-keys", key);

    public void Resize(int width, int height) => Run("resize-window", "-x", width.ToString(), "-y", height.ToString());

    /// <summary>
    /// Resizes the window under a POSIX shell and waits until the shell's terminal has the new size: pwsh
    /// passes it on when its SIGWINCH handler runs, which may be after the next line is typed.
    /// </summary>
    public void ResizeUnderShell(int width, int height)
    {
        Resize(width, height);
        TypeLine($"until [ \"$(stty size)\" = '{height} {width}' ]; do sleep 0.1; done; echo resized-$(stty size | tr ' ' x)");
        WaitFor($@"^resized-{height}x{width}$");
    }

    /// <summary>
    /// Under a busybox shell: Ctrl+C stops its foreground job (a byte the container's terminal turns into SIGINT
    /// for that job, not for pwsh) and the shell lives on; then it exits with <paramref name="code"/> and pwsh's
    /// prompt is back. Keys typed before pwsh is back would still go to the container's terminal, as with
    /// `docker exec -it`.
    /// </summary>
    public void InterruptAJobThenExitTheShell(int code)
    {
        // The job says it runs once it does, as the foreground job: the echo of the typed line comes before
        // the shell has made it one, and a Ctrl+C then would reach the shell instead.
        TypeLine("sh -c 'echo job-started; exec sleep 100'");
        WaitFor(@"^job-started$");
        Press("C-c");
        TypeLine("echo alive-$((40+2))");
        WaitFor(@"^alive-42$");
        TypeLine($"exit {code}");
        WaitFor($@"exit {code}\s*\nPS .*>\s*$");
    }

    public string Screen() => Run("capture-pane", "-p", "-S", "-200");

    /// <summary>Waits until the screen matches; the match. Fails with the screen when it never does.</summary>
    public Match WaitFor(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            string screen = Screen();
            var match = regex.Match(screen);
            if (match.Success)
                return match;
            Assert.True(DateTime.UtcNow < deadline, $"the terminal never showed /{pattern}/:\n{screen}");
            Thread.Sleep(100);
        }
    }

    private string Run(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-L", _socket }.Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"tmux {string.Join(' ', args)}: {error}");
        return output;
    }

    public void Dispose()
    {
        using var kill = Process.Start(new ProcessStartInfo("tmux", ["-L", _socket, "kill-server"]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }
}
