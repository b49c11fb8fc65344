using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Statistics;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Get-ContainerStatistic: CPU, memory, network, block I/O and pids per container, like `docker stats`.
/// One set by default (one second of CPU), -Count sets, or -Stream until stopped (Ctrl+C).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerStatistic")]
[OutputType(typeof(ContainerStatistic))]
public sealed class GetContainerStatisticCommand : ContainerToolsCmdlet
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly List<ContainerSnapshot> _containers = [];
    private bool _named;

    /// <summary>Names (wildcards allowed), ids or id prefixes; all running containers when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    public SwitchParameter Stream { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    protected override void ProcessRecord()
    {
        if (Name is null)
            return;
        _named = true;
        var store = new ContainerStore(Store);
        foreach (string pattern in Name)
        {
            Try(() =>
            {
                if (WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                    _containers.AddRange(store.List().Where(c => wildcard.IsMatch(c.Name)));
                }
                else
                {
                    _containers.Add(store.Find(pattern));
                }
            });
        }
    }

    protected override void EndProcessing() => Try(() =>
    {
        var containers = _named ? _containers.DistinctBy(c => c.Id) : new ContainerStore(Store).List().Where(c => c.IsRunning);
        var targets = ContainerResources.StatisticsTargets(containers);
        if (targets.Count == 0)
            return;
        int sets = Count > 0 ? Count : Stream ? int.MaxValue : 1;
        foreach (var set in StatisticsSampler.Sample(targets, Interval, StopToken).Take(sets))
            WriteObject(set, enumerateCollection: true);
    });
}
