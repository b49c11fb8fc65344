using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Containers;

/// <summary>
/// Base of the cmdlets that act on existing containers: -Name (names, ids or id prefixes, also from the
/// pipeline as strings or by property) or -Id (by property, so Get-Container | Stop-Container binds it).
/// Each target is handled on its own: one that fails is an ErrorRecord and the rest go on.
/// </summary>
public abstract class ContainerTargetCmdlet : ContainerToolsCmdlet
{
    protected const string ByName = "Name";
    protected const string ById = "Id";

    [Parameter(ParameterSetName = ByName, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[] Id { get; set; } = [];

    private ContainerLifecycle? _lifecycle;

    protected ContainerLifecycle Lifecycle => _lifecycle ??= new ContainerLifecycle(new ContainerStore(Store), MonitorExecutable);

    /// <summary>The monitor shipped beside the module assembly.</summary>
    internal static string MonitorExecutable => Path.Combine(ModuleDirectory, "ctmon");

    protected override void ProcessRecord()
    {
        foreach (string target in ParameterSetName == ById ? Id : Name)
            Try(() => Process(target), target);
    }

    /// <summary>Acts on one container named by name, id or id prefix.</summary>
    protected abstract void Process(string target);

    /// <summary>
    /// The containers a target names, for the cmdlets that read (as Get-Process -Name takes wildcards): with
    /// wildcards every container whose name matches, none being no error (as for Get-Container); else the one
    /// container it names, by name, id or id prefix.
    /// </summary>
    protected IReadOnlyList<ContainerSnapshot> Matching(string target)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(target))
            return [Lifecycle.Store.Find(target)];
        var wildcard = WildcardPattern.Get(target, WildcardOptions.IgnoreCase);
        return Lifecycle.Store.List().Where(c => wildcard.IsMatch(c.Name)).ToList();
    }

    protected void WriteContainer(ContainerSnapshot snapshot) => WriteObject(new ContainerInfo(snapshot));
}
