using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>Get-Container: the store's containers, newest first, like `docker ps -a`. Reads records only.</summary>
[Cmdlet(VerbsCommon.Get, "Container")]
[OutputType(typeof(ContainerInfo))]
public sealed class GetContainerCommand : ContainerToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Full ids or id prefixes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[]? Id { get; set; }

    [Parameter]
    public ContainerStatus? Status { get; set; }

    /// <summary>Only running containers whose health checks found this (docker ps --filter health=...).</summary>
    [Parameter]
    [ValidateSet(ContainerHealth.Starting, ContainerHealth.Healthy, ContainerHealth.Unhealthy)]
    public string? Health { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var all = new ContainerStore(Store).List();
        var containers = all.Where(c => (Status is null || c.Status == Status) && (Health is null || string.Equals(c.Health?.Status, Health, StringComparison.OrdinalIgnoreCase))).ToList();
        if (Id is not null)
            containers = containers.Where(c => Id.Any(id => HasIdPrefix(c, id))).ToList();
        if (Name is null)
        {
            WriteObject(containers.Select(c => new ContainerInfo(c)), enumerateCollection: true);
            return;
        }
        foreach (string pattern in Name)
        {
            var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
            var matches = containers.Where(c => wildcard.IsMatch(c.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                // An id or id prefix pasted from the table finds its container too, as in `docker inspect`; names first.
                matches = containers.Where(c => HasIdPrefix(c, pattern)).ToList();
                // -Status, -Health and -Id filter what is shown: a container they leave out exists all the same.
                if (matches.Count == 0 && !all.Any(c => wildcard.IsMatch(c.Name) || HasIdPrefix(c, pattern)))
                    WriteError(ErrorRecords.From(ContainerStore.NotFound(pattern)));
            }
            WriteObject(matches.Select(c => new ContainerInfo(c)), enumerateCollection: true);
        }
    });

    private static bool HasIdPrefix(ContainerSnapshot container, string prefix) =>
        container.Id.StartsWith(prefix.ToLowerInvariant(), StringComparison.Ordinal);
}
