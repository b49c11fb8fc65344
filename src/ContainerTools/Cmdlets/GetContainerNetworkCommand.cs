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

    protected override void ProcessRecord()
    {
        var networks = new NetworkStore(Store);
        IReadOnlyList<string> names = [];
        Try(() => names = networks.Names());
        foreach (var name in Name is null || Name.Length == 0 ? ["*"] : Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var found = names.Where(pattern.IsMatch).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(ErrorRecords.From(new EngineException("NetworkNotFound", ErrorKind.NotFound, name, $"No network named '{name}'.")));
            // One by one: a network whose file is unreadable is an error of its own and hides no other.
            foreach (var match in found)
                Try(() => WriteObject(networks.Get(match)));
        }
    }
}
