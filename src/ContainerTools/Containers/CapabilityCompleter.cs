using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ContainerTools.Core.Isolation;

namespace ContainerTools.Containers;

/// <summary>Tab completion of capability names for -CapabilityAdd / -CapabilityDrop (as docker spells them: NET_ADMIN, ALL).</summary>
public sealed class CapabilityCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        if (typed.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase))
            typed = typed[4..];
        return Capabilities.All.Select(c => c[4..]).Prepend("ALL")
            .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
