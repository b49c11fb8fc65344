using System.Collections;
using System.Management.Automation;

namespace ContainerTools.Transforms;

/// <summary>
/// Lets hashtable parameters (environment, labels, build arguments) also take Docker's 'NAME=value' strings, as
/// users of docker run -e write them: -Environment 'MODE=test', 'DEBUG=1'. A hashtable passes unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class NameValueTransformationAttribute : ArgumentTransformationAttribute
{
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
    private static Hashtable Table(IEnumerable<string> pairs)
    {
        var table = new Hashtable(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0)
                throw new ArgumentTransformationMetadataException($"'{pair}' is not NAME=value: give a hashtable such as @{{ NAME = 'value' }} or strings such as 'NAME=value'.");
            table[pair[..equals]] = pair[(equals + 1)..];
        }
        return table;
    }
}
