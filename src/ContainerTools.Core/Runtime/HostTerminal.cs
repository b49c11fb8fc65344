using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The terminal pwsh runs in (its stdin and stdout), which an interactive command is connected to:
/// its window size, and raw mode while attached so every key (Ctrl+C too) goes to the container as a byte.
/// </summary>
public sealed class HostTerminal
{
    public const int Input = 0;
    public const int Output = 1;

    private HostTerminal() { }

    public static HostTerminal Standard { get; } = new();

    /// <summary>False when stdin or stdout is redirected (a pipe, a file, a test runner).</summary>
    public bool IsTerminal => Linux.isatty(Input) == 1 && Linux.isatty(Output) == 1;

    public unsafe Linux.WinSize Size
    {
        get
        {
            Linux.WinSize size;
            Errno.Check(Linux.ioctl(Output, Linux.TIOCGWINSZ, &size), "ioctl(TIOCGWINSZ)", "stdout");
            return size;
        }
    }

    /// <summary>Puts the terminal in raw mode; disposing the result restores the settings it had.</summary>
    public unsafe IDisposable EnterRawMode()
    {
        Linux.Termios saved;
        Errno.Check(Linux.tcgetattr(Input, &saved), "tcgetattr", "stdin");
        var raw = saved;
        Linux.cfmakeraw(&raw);
        Errno.Check(Linux.tcsetattr(Input, Linux.TCSANOW, &raw), "tcsetattr", "stdin");
        return new Restore(saved);
    }

    private sealed class Restore(Linux.Termios saved) : IDisposable
    {
        private Linux.Termios _saved = saved;
        private bool _done;

        public unsafe void Dispose()
        {
            if (_done)
                return;
            _done = true;
            fixed (Linux.Termios* termios = &_saved)
                Linux.tcsetattr(Input, Linux.TCSANOW, termios);
        }
    }
}
