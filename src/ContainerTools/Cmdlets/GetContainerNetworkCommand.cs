using System.Management.Automation;
using ContainerTools.Completers;
using ContainerTools.Core;
using ContainerTools.Core.Networking;

namespace ContainerTools.Cmdlets;

/// <summary>Get-ContainerNetwork: the store's networks (the default one is made on first use), by name or wildcard.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerNetwork")]
[OutputType(typeof(ContainerNetworkInfo))]
public sealed class GetContainerNetworkCommand : ContainerToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var networks = new NetworkStore(Store).List();
        if (Name is null || Name.Length == 0)
        {
            WriteObject(networks, enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var found = networks.Where(n => pattern.IsMatch(n.Name)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(ErrorRecords.From(new EngineException("NetworkNotFound", ErrorKind.NotFound, name, $"No network named '{name}'.")));
            WriteObject(found, enumerateCollection: true);
        }
    });
}
