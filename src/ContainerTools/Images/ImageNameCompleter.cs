using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerTools.Core.Images;
using ContainerTools.Core.Store;

namespace ContainerTools.Images;

/// <summary>Tab completion of image names (short form, as people type them) from the session's store.</summary>
public sealed class ImageNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        var store = StoreFromSession();
        IReadOnlyList<ImageRecord> images;
        try
        {
            images = new ImageStore(store).List();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.EngineException)
        {
            return [];
        }
        return images.SelectMany(i => i.Names.Select(n => ImageReference.Parse(n).Familiar))
            .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    /// <summary>The store the session's cmdlets would use ($ContainerToolsRoot, else the environment, else the default).</summary>
    private static StoreLocation StoreFromSession()
    {
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        var values = ps.AddScript("$ContainerToolsRoot, $ContainerToolsRunRoot").Invoke();
        return StoreLocation.Resolve(values.ElementAtOrDefault(0)?.BaseObject as string, values.ElementAtOrDefault(1)?.BaseObject as string);
    }
}
