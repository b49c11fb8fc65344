using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ContainerTools.Completers;

/// <summary>Tab completion of volume names from the session's store.</summary>
public sealed class VolumeNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // Get-ContainerVolume in the current runspace: it finds the store exactly as the command being completed will.
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("ContainerTools\\Get-ContainerVolume").AddParameter("Name", wordToComplete.Trim('\'', '"') + "*")
            .AddParameter("ErrorAction", ActionPreference.Ignore);
        var names = ps.Invoke().Select(n => n.Properties["Name"]?.Value as string).OfType<string>().ToList();
        return names.Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
    }
}
