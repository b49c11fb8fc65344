using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerTools.Containers;

/// <summary>Tab completion of the -SecurityOption forms this engine understands.</summary>
public sealed class SecurityOptionCompleter : IArgumentCompleter
{
    private static readonly string[] Forms = ["seccomp=unconfined", "seccomp=", "no-new-privileges", "no-new-privileges=false"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        return Forms.Where(f => f.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(f => new CompletionResult(f, f, CompletionResultType.ParameterValue, f));
    }
}
