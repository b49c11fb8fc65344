using System.Management.Automation;
using ContainerTools.Completers;
using ContainerTools.Core;
using ContainerTools.Core.Volumes;

namespace ContainerTools.Cmdlets;

/// <summary>Get-ContainerVolume: the store's volumes, by name or wildcard (docker volume ls / inspect).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerVolume")]
[OutputType(typeof(ContainerVolumeInfo))]
public sealed class GetContainerVolumeCommand : ContainerToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var volumes = new VolumeStore(Store).List();
        if (Name is null || Name.Length == 0)
        {
            WriteObject(volumes, enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var found = volumes.Where(v => pattern.IsMatch(v.Name)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(ErrorRecords.From(new EngineException("VolumeNotFound", ErrorKind.NotFound, name, $"No volume named '{name}'.")));
            WriteObject(found, enumerateCollection: true);
        }
    });
}
