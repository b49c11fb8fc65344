using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerTools.Completers;
using ContainerTools.Core;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Containers;

/// <summary>
/// Tab completion of Copy-ContainerItem's paths, as docker cp users type them: a word that starts a container's
/// name (or, once something is typed, its id) is offered as "web:", ready for the path inside; past the colon, the
/// names in that directory of the container (running or stopped), a directory with its slash. Host paths are
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
        string word = wordToComplete.Trim('\'', '"');
        // Past the colon the word is a path inside a container (or a host path with a colon): no container to offer.
        if (word.Contains(':'))
            return InContainer(word).Concat(files);
        var containers = Names.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters);
        // Every id beside every name would double an empty word's list; an id is typed from its start.
        if (word.Length > 0)
            containers = containers.Concat(Ids.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters));
        return containers
            .Select(c => new CompletionResult(c.CompletionText + ":", c.ListItemText + ":", CompletionResultType.ParameterValue, c.ToolTip))
            .Concat(files);
    }

    /// <summary>"web:/et" completed from the names in web's /: the last name of the path is a prefix, wildcards allowed.</summary>
    private static List<CompletionResult> InContainer(string word)
    {
        try
        {
            // "web:" alone lists the container's root.
            var target = ContainerFilePath.Parse(word.EndsWith(':') ? word + "/" : word);
            if (target.Container is not { } container)
                return [];
            int slash = target.Path.LastIndexOf('/');
            string directory = target.Path[..(slash + 1)];
            var pattern = WildcardPattern.Get(target.Path[(slash + 1)..] + "*", WildcardOptions.None);
            var entries = new ContainerCopy(new ContainerStore(SessionStore.Resolve())).List(container, directory);
            return entries.Where(e => pattern.IsMatch(e.Name)).OrderBy(e => e.Name, StringComparer.Ordinal).Select(e =>
            {
                string name = e.IsDirectory ? e.Name + "/" : e.Name;
                string full = $"{container}:{directory}{name}";
                return new CompletionResult(Quoted(full), name,
                    e.IsDirectory ? CompletionResultType.ProviderContainer : CompletionResultType.ProviderItem, full);
            }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EngineException or WildcardPatternException)
        {
            return []; // a completer never fails the command line (an unknown container, a relative path)
        }
    }

    /// <summary>Single quotes around a path the command line would otherwise split or expand, as file completion quotes it.</summary>
    private static string Quoted(string path) =>
        path.IndexOfAny([' ', '\t', '\'', '"', '`', '$', ';', '(', ')', '{', '}', '@', '&', '|', '#', ',', '<', '>']) < 0
            ? path : "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
}
