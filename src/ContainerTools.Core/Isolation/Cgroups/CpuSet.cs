using System.Globalization;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>The kernel's CPU list syntax, "0-1,3": parsed, checked against the CPUs this machine has online.</summary>
public static class CpuSet
{
    private const string OnlineFile = "/sys/devices/system/cpu/online";

    /// <summary>The CPU numbers <paramref name="text"/> names, or an EngineException when it is not a CPU list.</summary>
    public static SortedSet<int> Parse(string text)
    {
        var cpus = new SortedSet<int>();
        foreach (string part in text.Split(','))
        {
            string[] range = part.Trim().Split('-');
            if (range.Length is < 1 or > 2 || !TryNumber(range[0], out int first))
                throw NotACpuList(text);
            int last = first;
            if (range.Length == 2 && (!TryNumber(range[1], out last) || last < first))
                throw NotACpuList(text);
            for (int cpu = first; cpu <= last; cpu++)
                cpus.Add(cpu);
        }
        return cpus;
    }

    public static SortedSet<int> Online() => Parse(File.ReadAllText(OnlineFile).Trim());

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value < 4096;

    private static EngineException NotACpuList(string text) =>
        new("InvalidCpuset", ErrorKind.InvalidArgument, text,
            $"'{text}' is not a CPU list: write CPU numbers and ranges such as 0-1,3.");
}
