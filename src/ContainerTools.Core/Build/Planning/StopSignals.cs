using System.Text.RegularExpressions;

namespace ContainerTools.Core.Build.Planning;

/// <summary>STOPSIGNAL's accepted forms, as Docker's signal parser: a number, a name with or without SIG, SIGRTMIN+n.</summary>
public static partial class StopSignals
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL",
        "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1",
        "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
    };

    public static bool IsValid(string signal)
    {
        if (int.TryParse(signal, out int number))
            return number is > 0 and <= 64;
        string name = signal.ToUpperInvariant();
        name = name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;
        return Names.Contains(name) || Realtime().IsMatch(name);
    }

    [GeneratedRegex(@"^RTM(IN\+|AX-)\d{1,2}$")]
    private static partial Regex Realtime();
}
