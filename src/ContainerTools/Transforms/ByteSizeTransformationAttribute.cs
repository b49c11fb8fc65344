using System.Management.Automation;
using ContainerTools.Core;
using ContainerTools.Core.Isolation.Cgroups;

namespace ContainerTools.Transforms;

/// <summary>
/// Lets size parameters take what users type: a number (PowerShell's 512MB is already one) or Docker's
/// strings such as 512m and 1.5g.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ByteSizeTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                string text => ByteSize.Parse(text),
                double or float or decimal => (long)Math.Round(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture)),
                IConvertible number when number.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.UInt64 =>
                    Convert.ToInt64(number, System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a size: give bytes, 512MB, or a string such as 512m or 1.5g."),
            };
        }
        catch (EngineException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
        catch (OverflowException e)
        {
            throw new ArgumentTransformationMetadataException($"'{value}' is too large for a size.", e);
        }
    }
}
