using System.Management.Automation;
using ContainerTools.Core;
using ContainerTools.Core.Store;

namespace ContainerTools;

/// <summary>
/// Base of every cmdlet: finds the store and turns engine failures into ErrorRecords. The store is taken
/// from the session variables $ContainerToolsRoot / $ContainerToolsRunRoot when set (one runspace, one
/// store, without touching the process environment), else from CONTAINERTOOLS_ROOT, else the default.
/// </summary>
public abstract class ContainerToolsCmdlet : PSCmdlet
{
    public const string RootVariable = "ContainerToolsRoot";
    public const string RunRootVariable = "ContainerToolsRunRoot";

    private StoreLocation? _store;

    // Not disposed: Ctrl+C may come after EndProcessing, and a source without a timer holds nothing that needs it.
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled by Ctrl+C (StopProcessing): what a cmdlet waits for, follows or downloads ends with it.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    protected StoreLocation Store => _store ??= StoreLocation.Resolve(SessionString(RootVariable), SessionString(RunRootVariable));

    /// <summary>
    /// A session variable as a string. Values made by cmdlets (Join-Path, Resolve-Path) arrive wrapped in a
    /// PSObject; reading them with a plain cast would silently fall back to the default store.
    /// </summary>
    protected string? SessionString(string name) => SessionState.PSVariable.GetValue(name) switch
    {
        null => null,
        PSObject wrapped => wrapped.BaseObject?.ToString(),
        var value => value.ToString(),
    };

    /// <summary>The folder the module was loaded from (ctmon and other shipped files sit there).</summary>
    protected static string ModuleDirectory =>
        System.IO.Path.GetDirectoryName(typeof(ContainerToolsCmdlet).Assembly.Location)!;

    /// <summary>
    /// Writes a file the cmdlet made as Get-Item gives it: a bare FileInfo lacks the provider's properties, so
    /// pwsh's table shows it with blank mode, owner and size.
    /// </summary>
    protected void WriteFileItem(string path) =>
        WriteObject(InvokeProvider.Item.Get([path], force: false, literalPath: true), enumerateCollection: true);

    /// <summary>
    /// Runs one unit of work; an engine failure becomes a non-terminating error and the pipeline goes on. The
    /// error's target is what the failure names, else <paramref name="target"/>: the thing the work acts on.
    /// </summary>
    protected void Try(Action work, object? target = null)
    {
        try
        {
            work();
        }
        catch (Exception e) when (ErrorRecords.IsReportable(e))
        {
            WriteError(ErrorRecords.From(e, target));
        }
    }

    /// <summary>Runs work whose failure must stop the cmdlet (for example a bad parameter).</summary>
    protected void TryTerminating(Action work)
    {
        try
        {
            work();
        }
        catch (Exception e) when (ErrorRecords.IsReportable(e))
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }
}
