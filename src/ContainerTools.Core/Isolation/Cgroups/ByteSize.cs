using System.Globalization;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// Sizes as people write them: 1048576, 512m, 1.5g, 512MB, 10kb, 2GiB (binary multiples, like Docker). A sign
/// is kept (-1 means unlimited for MemorySwap); whether a value makes sense is the validator's call.
/// </summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("tib", 1L << 40),
        ("kb", 1L << 10), ("mb", 1L << 20), ("gb", 1L << 30), ("tb", 1L << 40),
        ("k", 1L << 10), ("m", 1L << 20), ("g", 1L << 30), ("t", 1L << 40), ("b", 1),
    ];

    public static long Parse(string text)
    {
        string trimmed = text.Trim().ToLowerInvariant();
        int sign = trimmed.StartsWith('-') ? -1 : 1;
        trimmed = sign < 0 ? trimmed[1..] : trimmed;
        long factor = 1;
        foreach (var (suffix, unitFactor) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = unitFactor;
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }
        if (trimmed.Length == 0 || !char.IsAsciiDigit(trimmed[0])
            || !decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number)
            || number * factor > long.MaxValue)
        {
            throw new EngineException("InvalidSize", ErrorKind.InvalidArgument, text,
                $"'{text}' is not a size: write bytes, or a number with a unit b, k, m, g or t (such as 512m or 1.5g).");
        }
        return sign * (long)decimal.Round(number * factor);
    }

    /// <summary>Human-readable with binary units, as docker stats shows them: 1.5GiB, 64MiB, 512B.</summary>
    public static string Format(long bytes)
    {
        string[] names = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < names.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + "B"
            : value.ToString(value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture) + names[unit];
    }
}
