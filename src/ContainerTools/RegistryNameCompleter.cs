using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerTools;

/// <summary>Completes registry names from the stored logins (Disconnect-ContainerRegistry -Registry).</summary>
public sealed class RegistryNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> registries;
        try
        {
            registries = AuthFiles.ResolveInCurrentRunspace(fakeBoundParameters["AuthFile"] as string).Registries();
        }
        catch (Exception e) when (e is Core.EngineException or IOException or UnauthorizedAccessException)
        {
            yield break; // a completer never fails the command line
        }
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        foreach (string registry in registries.Where(r => pattern.IsMatch(r)).Order(StringComparer.Ordinal))
            yield return new CompletionResult(registry, registry, CompletionResultType.ParameterValue, registry);
    }
}
