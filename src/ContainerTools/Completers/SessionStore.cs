using System.Management.Automation;
using ContainerTools.Core.Store;

namespace ContainerTools.Completers;

/// <summary>The store a command being completed will use, for completers that look into it.</summary>
internal static class SessionStore
{
    /// <summary>
    /// $ContainerToolsRoot/$ContainerToolsRunRoot of the session, else the environment, else the default (as
    /// ContainerToolsCmdlet.Store). ToString, not a cast: a value made by Resolve-Path is a PathInfo.
    /// </summary>
    public static StoreLocation Resolve()
    {
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        var values = ps.AddScript($"${ContainerToolsCmdlet.RootVariable}, ${ContainerToolsCmdlet.RunRootVariable}").Invoke();
        return StoreLocation.Resolve(values.ElementAtOrDefault(0)?.BaseObject?.ToString(), values.ElementAtOrDefault(1)?.BaseObject?.ToString());
    }
}
