using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Module;

public sealed class ModuleManifestTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public ModuleManifestTests() => _ps = new PowerShellSession(_store);

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void ManifestIsValidAndTargetsPowerShell76Core()
    {
        var module = _ps.Run($"Test-ModuleManifest -Path '{Repository.ModuleManifest}'").Single();
        Assert.Equal(new Version(7, 6), module.Properties["PowerShellVersion"].Value);
        var editions = (IEnumerable<string>)module.Properties["CompatiblePSEditions"].Value;
        Assert.Equal(["Core"], editions);
    }

    [Fact]
    public void ModuleFolderHasNoEngineButHasTheMonitor()
    {
        Assert.False(File.Exists(Path.Combine(Repository.ModuleDirectory, "System.Management.Automation.dll")));
        Assert.True(File.Exists(Repository.Monitor));
    }

    [Fact]
    public void EveryExportedCmdletHasHelpOutputTypesAndApprovedVerb()
    {
        var commands = _ps.Run("Get-Command -Module ContainerTools -CommandType Cmdlet");
        var approved = ApprovedVerbs();
        foreach (var command in commands.Select(c => (CmdletInfo)c.BaseObject))
        {
            Assert.Contains(command.Verb, approved);
            var help = _ps.Run($"Get-Help {command.Name} -Full").Single();
            string synopsis = help.Properties["Synopsis"].Value?.ToString()?.Trim() ?? "";
            Assert.False(string.IsNullOrEmpty(synopsis) || synopsis.StartsWith(command.Name, StringComparison.Ordinal),
                $"{command.Name} has no synopsis");
            Assert.True(help.Properties["description"]?.Value is not null, $"{command.Name} has no description");
            Assert.True(help.Properties["examples"]?.Value is not null, $"{command.Name} has no examples");
            var described = _ps.Run($"(Get-Help {command.Name} -Full).parameters.parameter | Where-Object {{ $_.description }} | ForEach-Object name")
                .Select(p => p.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in command.Parameters.Keys.Except(CommonParameters, StringComparer.OrdinalIgnoreCase))
                Assert.True(described.Contains(parameter), $"{command.Name} -{parameter} has no help description");
            if (!command.Verb.Equals("Remove", StringComparison.Ordinal) || command.OutputType.Count > 0)
                Assert.True(command.OutputType.Count > 0 || NoOutput.Contains(command.Name), $"{command.Name} declares no OutputType");
        }
    }

    /// <summary>The verbs Get-Verb lists: the constants of SMA's Verbs* classes.</summary>
    private static HashSet<string> ApprovedVerbs() =>
        new[] { typeof(VerbsCommon), typeof(VerbsData), typeof(VerbsLifecycle), typeof(VerbsDiagnostic),
                typeof(VerbsCommunications), typeof(VerbsSecurity), typeof(VerbsOther) }
            .SelectMany(t => t.GetFields())
            .Select(f => (string)f.GetValue(null)!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Cmdlets that write nothing to the pipeline (unless -PassThru declares it).</summary>
    private static readonly HashSet<string> NoOutput = new(StringComparer.OrdinalIgnoreCase) { "Disconnect-ContainerRegistry" };

    private static readonly string[] CommonParameters =
    [
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    ];
}
