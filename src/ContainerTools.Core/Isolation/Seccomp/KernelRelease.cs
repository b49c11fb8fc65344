using System.Globalization;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>The running kernel's version, for profile rules with a minKernel.</summary>
internal static class KernelRelease
{
    public static Version Current { get; } = Parse(File.ReadAllText("/proc/sys/kernel/osrelease"));

    /// <summary>"6.18.44-fc-v445" -> 6.18.44: the leading dotted numbers of a release string.</summary>
    public static Version Parse(string release)
    {
        var numbers = release.Trim().Split('.', 3)
            .Select(part => new string([.. part.TakeWhile(char.IsAsciiDigit)]))
            .TakeWhile(digits => digits.Length > 0)
            .Select(digits => int.Parse(digits, CultureInfo.InvariantCulture))
            .ToArray();
        return numbers.Length switch
        {
            0 => new Version(0, 0),
            1 => new Version(numbers[0], 0),
            2 => new Version(numbers[0], numbers[1]),
            _ => new Version(numbers[0], numbers[1], numbers[2]),
        };
    }
}
