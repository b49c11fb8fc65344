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

    protected StoreLocation Store => _store ??= StoreLocation.Resolve(
        SessionState.PSVariable.GetValue(RootVariable) as string,
        SessionState.PSVariable.GetValue(RunRootVariable) as string);

    /// <summary>The folder the module was loaded from (ctmon and other shipped files sit there).</summary>
    protected static string ModuleDirectory =>
        System.IO.Path.GetDirectoryName(typeof(ContainerToolsCmdlet).Assembly.Location)!;

    /// <summary>Runs one unit of work; an engine failure becomes a non-terminating error and the pipeline goes on.</summary>
    protected void Try(Action work)
    {
        try
        {
            work();
        }
        catch (Exception e) when (ErrorRecords.IsReportable(e))
        {
            WriteError(ErrorRecords.From(e));
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
