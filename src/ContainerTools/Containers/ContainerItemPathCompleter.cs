using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerTools.Containers;

/// <summary>
/// Tab completion of Copy-ContainerItem's paths, as docker cp users type them: a word that starts a container's
/// name (or, once something is typed, its id) is offered as "web:", ready for the path inside; host paths are
/// completed too, by PowerShell's own file completion, so a local file is reached as with Copy-Item.
/// </summary>
public sealed class ContainerItemPathCompleter : IArgumentCompleter
{
    private static readonly ContainerNameCompleter Names = new();
    private static readonly ContainerIdCompleter Ids = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var files = CompletionCompleters.CompleteFilename(wordToComplete);
        // Past the colon the word is a path inside a container (or a host path with a colon): no container to offer.
        if (wordToComplete.Contains(':'))
            return files;
        var containers = Names.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters);
        // Every id beside every name would double an empty word's list; an id is typed from its start.
        if (wordToComplete.Trim('\'', '"').Length > 0)
            containers = containers.Concat(Ids.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters));
        return containers
            .Select(c => new CompletionResult(c.CompletionText + ":", c.ListItemText + ":", CompletionResultType.ParameterValue, c.ToolTip))
            .Concat(files);
    }
}
