using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Copy-ContainerItem: `docker cp`. One side is a host path, the other container:/path; files and
/// directory trees, modes and times kept, paths in the container resolved inside its root.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "ContainerItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class CopyContainerItemCommand : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerItemPathCompleter))]
    public string[] Path { get; set; } = [];

    /// <summary>Files piped from Get-ChildItem bind here by FullName: their names are never patterns.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
    [Alias("FullName", "LP")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerItemPathCompleter))]
    public string[] LiteralPath { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerItemPathCompleter))]
    public string Destination { get; set; } = "";

    /// <summary>docker cp -L: a source that is a symbolic link is copied as what it points to (in a container, resolved inside its root), not as the link.</summary>
    [Parameter]
    [Alias("L")]
    public SwitchParameter FollowLink { get; set; }

    protected override void ProcessRecord()
    {
        var copy = new ContainerCopy(new ContainerStore(Store));
        bool wildcards = ParameterSetName == "Path";
        foreach (string source in wildcards ? Path : LiteralPath)
        {
            Try(() =>
            {
                if (ShouldProcess($"{source} -> {Destination}", "Copy"))
                    copy.Copy(Resolve(source), Resolve(Destination), wildcards, FollowLink);
            });
        }
    }

    /// <summary>Host paths are relative to PowerShell's current location, not the process's.</summary>
    private string Resolve(string path) =>
        ContainerFilePath.Parse(path).Container is null ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) : path;
}
