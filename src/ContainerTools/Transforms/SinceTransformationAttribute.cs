using System.Management.Automation;
using ContainerTools.Core.Build.Syntax;

namespace ContainerTools.Transforms;

/// <summary>
/// Lets -Since take what docker logs --since takes besides a date: a duration back from now, '10m', '1h30m', or
/// a TimeSpan. PowerShell reads a bare 10s as the number 10 of type short (its literal suffix), which as a date
/// is the year 1 and would silently show every line: a short is taken as seconds, as the user wrote it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            TimeSpan ago => DateTime.UtcNow - ago,
            short seconds => DateTime.UtcNow.AddSeconds(-seconds),
            string text when Duration(text) is { } ago => DateTime.UtcNow - ago,
            _ => inputData,
        };

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
