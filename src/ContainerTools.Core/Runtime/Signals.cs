using System.Globalization;

namespace ContainerTools.Core.Runtime;

/// <summary>Signal names as images and users write them (SIGTERM, TERM, 15).</summary>
public static class Signals
{
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCHLD = 17;

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>SIGTERM for 15, as docker inspect shows a stop signal; a real-time signal by its number.</summary>
    public static string Name(int signal) =>
        signal > 0 && signal < Names.Length ? "SIG" + Names[signal] : signal.ToString(CultureInfo.InvariantCulture);

    public static int Parse(string signal)
    {
        string name = signal.Trim().ToUpperInvariant();
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is > 0 and <= 64)
            return number;
        if (name.StartsWith("SIG", StringComparison.Ordinal))
            name = name[3..];
        int index = Array.IndexOf(Names, name);
        return index > 0 ? index
            : throw new EngineException("InvalidSignal", ErrorKind.InvalidArgument, signal, $"'{signal}' is not a signal name or number");
    }
}
