namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// One value to write into one control file of a controller. Kernels differ in which files they offer
/// (blkio.weight only with CFQ, blkio.bfq.weight with BFQ): <paramref name="Otherwise"/> is used when
/// <paramref name="File"/> does not exist, and an <paramref name="Optional"/> setting with neither is skipped
/// (memory.memsw.* exists only with swap accounting).
/// </summary>
public sealed record CgroupSetting(string Controller, string File, string Value, CgroupSetting? Otherwise = null, bool Optional = false)
{
    /// <summary>Writes the setting into the group directory <paramref name="directory"/> of its controller.</summary>
    internal void WriteTo(string directory)
    {
        for (CgroupSetting? choice = this; choice is not null; choice = choice.Otherwise)
        {
            string path = Path.Combine(directory, choice.File);
            if (System.IO.File.Exists(path))
            {
                ControlFile.Write(path, choice.Value);
                return;
            }
        }
        if (!Optional)
            throw new EngineException("CgroupFileUnavailable", ErrorKind.ResourceUnavailable, File,
                $"This kernel's {Controller} controller has no {File}, so that limit cannot be applied here.");
    }

    public override string ToString() => $"{File}={Value}";
}
