using System.Globalization;
using System.Text.RegularExpressions;

namespace ContainerTools.Core.Build.Syntax;

/// <summary>Durations as Docker writes them (Go's time.ParseDuration): "30s", "1m30s", "1.5h", "250ms", "0".</summary>
public static partial class GoDuration
{
    public static TimeSpan Parse(string text)
    {
        string body = text.TrimStart('+', '-');
        bool negative = text.StartsWith('-');
        if (body == "0")
            return TimeSpan.Zero;
        MatchCollection parts = Part().Matches(body);
        if (body.Length == 0 || parts.Sum(p => p.Length) != body.Length)
            throw new FormatException($"time: invalid duration \"{text}\"");
        double ticks = 0;
        foreach (Match part in parts)
        {
            double number = double.Parse(part.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            ticks += number * part.Groups[2].Value switch
            {
                "ns" => TimeSpan.TicksPerMicrosecond / 1000.0,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }
        return TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
    }

    [GeneratedRegex(@"(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)")]
    private static partial Regex Part();
}
