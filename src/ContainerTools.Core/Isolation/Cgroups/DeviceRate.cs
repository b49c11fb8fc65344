namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>A per-device I/O throttle: at most <paramref name="BytesPerSecond"/> on the block device at <paramref name="Device"/>.</summary>
public sealed record DeviceRate(string Device, long BytesPerSecond)
{
    /// <summary>Parses Docker's form "/dev/sda:10mb" (the rate takes the units of <see cref="ByteSize"/>).</summary>
    public static DeviceRate Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new EngineException("InvalidDeviceRate", ErrorKind.InvalidArgument, text,
                $"'{text}' is not a device rate: write it as <device path>:<rate>, for example /dev/sda:10mb.");
        return new DeviceRate(text[..colon], ByteSize.Parse(text[(colon + 1)..]));
    }

    public override string ToString() => $"{Device}:{ByteSize.Format(BytesPerSecond)}";
}
