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
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            string text => Table([text]),
            object[] items when items.All(i => (i is PSObject p ? p.BaseObject : i) is string) =>
                Table(items.Select(i => (string)(i is PSObject p ? p.BaseObject : i))),
            _ => inputData,
        };
    }

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
