using System.Collections;
using System.Management.Automation;

namespace ContainerTools.Transforms;

/// <summary>
/// Lets hashtable parameters (environment, labels, build arguments) also take Docker's 'NAME=value' strings, as
/// users of docker run -e write them: -Environment 'MODE=test', 'DEBUG=1'. A hashtable passes unchanged. A bare
/// 'NAME' is what docker makes of it (see <see cref="BareName"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class NameValueTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>What a bare NAME means: docker's -e and --build-arg take this session's value, --label an empty one.</summary>
    public BareName Bare { get; set; } = BareName.SessionValue;

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        return Unwrap(inputData) switch
        {
            string text => Table([text]),
            object[] items when items.Select(Unwrap).ToList() is var values && values.All(v => v is string) => Table(values.Cast<string>()),
            _ => inputData,
        };
    }

    private static object Unwrap(object item) => item is PSObject wrapped ? wrapped.BaseObject : item;

    /// <summary>The pairs in order, so a name given twice keeps its last value, as with docker run -e.</summary>
    private Hashtable Table(IEnumerable<string> pairs)
    {
        var table = new Hashtable(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals == 0 || pair.Length == 0)
                throw new ArgumentTransformationMetadataException($"'{pair}' is not NAME=value: give a hashtable such as @{{ NAME = 'value' }} or strings such as 'NAME=value'.");
            if (equals > 0)
                table[pair[..equals]] = pair[(equals + 1)..];
            else if (Bare == BareName.EmptyValue)
                table[pair] = "";
            // As docker: a variable this session does not have is not set at all.
            else if (System.Environment.GetEnvironmentVariable(pair) is { } value)
                table[pair] = value;
        }
        return table;
    }
}

/// <summary>What a 'NAME' without '=' stands for in a <see cref="NameValueTransformationAttribute"/> parameter.</summary>
public enum BareName
{
    /// <summary>NAME=its value in this session's environment ($env:NAME), or nothing when it has none.</summary>
    SessionValue,
    /// <summary>NAME with an empty value.</summary>
    EmptyValue,
}
