using System.Formats.Tar;

namespace ContainerTools.Core.Images;

public static class TarReading
{
    /// <summary>
    /// The next entry (its data not copied), or null at the end. A header TarReader cannot take is the archive's
    /// fault, so it comes out as InvalidDataException whatever TarReader threw: FormatException, OverflowException
    /// (a PAX uid or time beyond its field), ArgumentOutOfRangeException (a time before year 1) or
    /// NotSupportedException (an old GNU sparse entry).
    /// </summary>
    public static TarEntry? NextEntry(this TarReader reader)
    {
        try
        {
            return reader.GetNextEntry(copyData: false);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
