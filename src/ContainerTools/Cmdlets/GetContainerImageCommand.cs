using System.Management.Automation;
using ContainerTools.Core;
using ContainerTools.Core.Images;
using ContainerTools.Images;

namespace ContainerTools.Cmdlets;

/// <summary>Get-ContainerImage: the store's images, one row per name, like `docker images`.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerImage")]
[OutputType(typeof(ContainerImageInfo))]
public sealed class GetContainerImageCommand : ContainerToolsCmdlet
{
    /// <summary>Names or wildcard patterns: "busybox" (every tag of the repository), "busybox:1.36", "*box*".</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The start of an image id (hex digits of the config digest, with or without "sha256:").</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageIdCompleter))]
    public string? Id { get; set; }

    [Parameter]
    public SwitchParameter Dangling { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var all = new ImageStore(Store).List().SelectMany(ContainerImageInfo.Rows).ToList();
        var rows = all;
        if (Id is not null)
            rows = rows.Where(HasIdPrefix(Id)).ToList();
        if (Dangling)
            rows = rows.Where(r => r.Name is null).ToList();
        if (Name is null)
        {
            WriteObject(rows, enumerateCollection: true);
            return;
        }
        foreach (string pattern in Name)
        {
            var named = Matcher(pattern);
            var matches = rows.Where(named).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                // An id or its start, as the table shows it and Remove-ContainerImage takes it, finds the image too; names first.
                var byId = HasIdPrefix(pattern);
                matches = rows.Where(byId).ToList();
                // -Id and -Dangling filter what is shown: an image they leave out exists all the same.
                if (matches.Count == 0 && !all.Any(row => named(row) || byId(row)))
                    WriteError(ErrorRecords.From(new EngineException("ImageNotFound", ErrorKind.NotFound, pattern, $"No image '{pattern}' in the store.")));
            }
            WriteObject(matches, enumerateCollection: true);
        }
    });

    /// <summary>Hex digits of the config digest, with or without "sha256:".</summary>
    private static Func<ContainerImageInfo, bool> HasIdPrefix(string id)
    {
        string prefix = id.StartsWith(Digest.Sha256Prefix, StringComparison.Ordinal) ? id : Digest.Sha256Prefix + id;
        return row => row.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A wildcard matches the short name, the repository or the full name; a plain name is normalised (no tag: every tag).</summary>
    private static Func<ContainerImageInfo, bool> Matcher(string pattern)
    {
        if (WildcardPattern.ContainsWildcardCharacters(pattern))
        {
            var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
            return row => row.Name is not null && (wildcard.IsMatch(row.Name) || wildcard.IsMatch(row.Repository) || wildcard.IsMatch(row.FullName!));
        }
        var reference = ImageReference.Parse(pattern);
        bool tagGiven = pattern.LastIndexOf(':') > pattern.LastIndexOf('/') || reference.Digest is not null;
        return row => row.FullName is not null && (reference.Digest is not null ? row.ManifestDigest == reference.Digest && ImageReference.Parse(row.FullName).Name == reference.Name
            : tagGiven ? row.FullName == reference.ToString()
            : ImageReference.Parse(row.FullName).Name == reference.Name);
    }
}
