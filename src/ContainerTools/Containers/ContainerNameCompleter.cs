using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Store;

namespace ContainerTools.Containers;

/// <summary>Tab completion of container names from the session's store.</summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        IReadOnlyList<ContainerSnapshot> containers;
        try
        {
            containers = new ContainerStore(StoreFromSession()).List();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.EngineException)
        {
            return [];
        }
        return containers.Select(c => c.Name)
            .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    private static StoreLocation StoreFromSession()
    {
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        var values = ps.AddScript("$ContainerToolsRoot, $ContainerToolsRunRoot").Invoke();
        return StoreLocation.Resolve(values.ElementAtOrDefault(0)?.BaseObject as string, values.ElementAtOrDefault(1)?.BaseObject as string);
    }
}
