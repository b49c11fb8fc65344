using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Transforms;

/// <summary>
/// Lets -Since take what docker logs --since takes besides a date: a duration back from now, '10m', '1h30m', or
/// a TimeSpan, and Unix time in seconds (1700000000, '1700000000.5'). PowerShell reads a bare 10s as the number
/// 10 of type short (its literal suffix), which as a date is the year 1 and would silently show every line: a
/// short is taken as seconds, as the user wrote it. Other numbers would be ticks of the year 1 as well.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed partial class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            TimeSpan ago => DateTime.UtcNow - ago,
            short seconds => DateTime.UtcNow.AddSeconds(-seconds),
            int or long or double or decimal => DateTime.UnixEpoch.AddSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when UnixSeconds().IsMatch(text) => DateTime.UnixEpoch.AddSeconds(double.Parse(text, CultureInfo.InvariantCulture)),
            string text when Duration(text) is { } ago => DateTime.UtcNow - ago,
            _ => inputData,
        };
    }

    [GeneratedRegex(@"^\s*[0-9]+(\.[0-9]+)?\s*$")]
    private static partial Regex UnixSeconds();

    /// <summary>The duration text means, or null for other text (a date, left to PowerShell's conversion).</summary>
    private static TimeSpan? Duration(string text)
    {
        try
        {
            return GoDuration.Parse(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
