using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerTools.Core;
using ContainerTools.Core.Store;

namespace ContainerTools.Completers;

/// <summary>
/// Tab completion of the names of one kind of thing in the session's store (containers, images, networks,
/// volumes): each kind is a one-line subclass saying what it lists. What the user typed is a prefix and may
/// hold wildcards.
/// </summary>
public abstract class StoreNameCompleter(Func<StoreLocation, IEnumerable<string>> names) : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        List<string> matches;
        try
        {
            var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            matches = names(SessionStore.Resolve()).Where(pattern.IsMatch).Distinct().Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EngineException or WildcardPatternException)
        {
            return []; // a completer never fails the command line
        }
        return matches.Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
