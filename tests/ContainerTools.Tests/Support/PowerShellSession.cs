using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContainerTools.Tests.Support;

/// <summary>
/// The real PowerShell engine, hosted in-process, with the built module imported and its own store.
/// Runs PowerShell text as pwsh would: parameter binding, the pipeline, format files, error records.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly CapturingHost _host = new();

    public PowerShellSession(TestStore store)
    {
        Store = store;
        var state = InitialSessionState.CreateDefault2();
        state.Variables.Add(new SessionStateVariableEntry("ContainerToolsRoot", store.Location.Root, "test store"));
        state.Variables.Add(new SessionStateVariableEntry("ContainerToolsRunRoot", store.Location.RunRoot, "test store"));
        _runspace = RunspaceFactory.CreateRunspace(_host, state);
        _runspace.Open();
        Run($"Import-Module '{Repository.ModuleManifest}' -ErrorAction Stop");
    }

    public TestStore Store { get; }

    /// <summary>Runs a script; returns output, errors and streams. Never throws for non-terminating errors.</summary>
    public PowerShellResult Invoke(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
                _runspace.SessionStateProxy.SetVariable(name, value);
        }
        ps.AddScript(script);
        Collection<PSObject> output;
        Exception? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            output = new Collection<PSObject>();
            terminating = e;
        }
        return new PowerShellResult(
            output,
            ps.Streams.Error.ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Information.ToList(),
            ps.Streams.Progress.ToList(),
            terminating as RuntimeException);
    }

    /// <summary>A script ready to run on this session, for a test that runs it in the background and stops it as Ctrl+C does.</summary>
    public PowerShell Prepare(string script)
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        return ps.AddScript(script);
    }

    /// <summary>Runs a script that must succeed: any error fails the test with the error's text.</summary>
    public Collection<PSObject> Run(string script, IDictionary<string, object?>? variables = null)
    {
        var result = Invoke(script, variables);
        result.ThrowIfFailed(script);
        return result.Output;
    }

    /// <summary>The text PowerShell shows for the script's output, rendered through the format files by Out-Default.</summary>
    public string Render(string script)
    {
        _host.Clear();
        Run($"& {{ {script} }} | Out-Default");
        return _host.Text;
    }

    /// <summary>What the script wrote to the host (Write-Host, Out-Default) during the last Render.</summary>
    public string HostText => _host.Text;

    public void Dispose() => _runspace.Dispose();
}

public sealed record PowerShellResult(
    Collection<PSObject> Output,
    List<ErrorRecord> Errors,
    List<string> Warnings,
    List<InformationRecord> Information,
    List<ProgressRecord> Progress,
    RuntimeException? Terminating)
{
    public bool Failed => Terminating is not null || Errors.Count > 0;

    /// <summary>All errors, terminating last.</summary>
    public IEnumerable<ErrorRecord> AllErrors =>
        Terminating is null ? Errors : Errors.Append(Terminating.ErrorRecord);

    public void ThrowIfFailed(string script)
    {
        if (!Failed)
            return;
        var text = string.Join(Environment.NewLine, AllErrors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));
        throw new Xunit.Sdk.XunitException($"PowerShell failed: {script}{Environment.NewLine}{text}");
    }
}
