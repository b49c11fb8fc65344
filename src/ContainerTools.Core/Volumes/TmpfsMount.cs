using System.Globalization;
using System.Text.RegularExpressions;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Volumes;

/// <summary>
/// One -Tmpfs as docker run --tmpfs writes it: /path[:size=64m,mode=1777,...]. Docker's defaults
/// (noexec, nosuid, nodev, mode 1777) unless the options say otherwise; anything tmpfs would not take is
/// refused here, before the container exists, rather than at its start.
/// </summary>
public static partial class TmpfsMount
{
    [GeneratedRegex("^[0-9]+[kKmMgG%]?$")]
    private static partial Regex Size();

    [GeneratedRegex("^[0-7]{3,4}$")]
    private static partial Regex Mode();

    public static SpecMount Parse(string text)
    {
        int colon = text.IndexOf(':');
        string destination = MountDestination.Validate(colon < 0 ? text : text[..colon], text);
        var flags = new SortedSet<string>(StringComparer.Ordinal) { "noexec", "nosuid", "nodev" };
        var data = new List<string>();
        string mode = "mode=1777";
        foreach (var option in colon < 0 ? [] : text[(colon + 1)..].Split(','))
        {
            var (key, value) = option.Split('=', 2) is [var k, var v] ? (k, v) : (option, null);
            switch (key)
            {
                case "exec" or "suid" or "dev" when value is null: flags.Remove("no" + key); break;
                case "noexec" or "nosuid" or "nodev" or "ro" or "rw" or "noatime" or "relatime" or "strictatime" when value is null: flags.Add(key); break;
                case "size" when value is not null && Size().IsMatch(value): data.Add(option); break;
                case "mode" when value is not null && Mode().IsMatch(value): mode = option; break;
                case "uid" or "gid" or "nr_inodes" when value is not null && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _): data.Add(option); break;
                default:
                    throw new EngineException("InvalidTmpfsOption", ErrorKind.InvalidArgument, text,
                        $"'{option}' in '{text}' is not a tmpfs option: use size=<n>[k|m|g|%], mode=<octal>, uid=, gid=, nr_inodes=, ro, rw, exec, noexec, suid, nosuid, dev, nodev");
            }
        }
        flags.Remove("rw");
        return new SpecMount { Destination = destination, Type = "tmpfs", Source = "tmpfs", Options = [.. flags, mode, .. data] };
    }
}
