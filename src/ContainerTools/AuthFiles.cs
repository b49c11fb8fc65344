using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ContainerTools.Core.Registry;

namespace ContainerTools;

/// <summary>
/// Which auth file the registry cmdlets use: -AuthFile, else the session variable $ContainerToolsAuthFile
/// (scripts and tests that keep logins apart), else the containers-auth.json default.
/// </summary>
internal static class AuthFiles
{
    public const string Variable = "ContainerToolsAuthFile";

    public static AuthFile Resolve(PSCmdlet cmdlet, string? path)
    {
        path ??= Text(cmdlet.SessionState.PSVariable.GetValue(Variable));
        return string.IsNullOrWhiteSpace(path)
            ? AuthFile.Default()
            : new AuthFile(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
    }

    /// <summary>For completers, which run without a cmdlet: the same choice from the current runspace.</summary>
    public static AuthFile ResolveInCurrentRunspace(string? path)
    {
        path ??= Text(Runspace.DefaultRunspace?.SessionStateProxy.PSVariable.GetValue(Variable));
        return string.IsNullOrWhiteSpace(path) ? AuthFile.Default() : new AuthFile(path);
    }

    /// <summary>A variable's string value; what a cmdlet such as Join-Path produced arrives wrapped in a PSObject.</summary>
    private static string? Text(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) as string;
}
