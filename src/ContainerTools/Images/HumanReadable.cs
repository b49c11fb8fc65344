using System.Globalization;

namespace ContainerTools.Images;

/// <summary>What the format files show for bytes and times: "5.4MB", "2 days ago", as docker does.</summary>
public static class HumanReadable
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB"];

    /// <summary>Decimal units with three significant digits, as docker shows sizes.</summary>
    public static string Size(long bytes)
    {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        string number = unit == 0 ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString(value < 10 ? "0.##" : value < 100 ? "0.#" : "0", CultureInfo.InvariantCulture);
        return number + Units[unit];
    }

    public static string Ago(DateTimeOffset? time) => time is null ? "N/A" : Ago(DateTimeOffset.UtcNow - time.Value);

    public static string Ago(TimeSpan age)
    {
        if (age < TimeSpan.FromSeconds(1))
            return "Less than a second ago";
        if (age < TimeSpan.FromMinutes(1))
            return Plural((int)age.TotalSeconds, "second");
        if (age < TimeSpan.FromHours(1))
            return Plural((int)age.TotalMinutes, "minute");
        if (age < TimeSpan.FromDays(2))
            return Plural((int)age.TotalHours, "hour");
        if (age < TimeSpan.FromDays(14))
            return Plural((int)age.TotalDays, "day");
        if (age < TimeSpan.FromDays(60))
            return Plural((int)(age.TotalDays / 7), "week");
        if (age < TimeSpan.FromDays(730))
            return Plural((int)(age.TotalDays / 30), "month");
        return Plural((int)(age.TotalDays / 365), "year");
    }

    private static string Plural(int count, string unit) =>
        count == 1 ? (unit == "hour" ? "About an hour ago" : $"1 {unit} ago") : $"{count} {unit}s ago";
}
