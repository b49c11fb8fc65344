using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Core.Runtime;
using ContainerTools.Images;

namespace ContainerTools.Containers;

/// <summary>The parameters New-Container and Invoke-ContainerImage share: what to run and how, and its resource limits.</summary>
public abstract class ContainerCreationCmdlet : ContainerToolsCmdlet, IDynamicParameters
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public string[]? Command { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public string[]? Entrypoint { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    protected LimitParameters Limits { get; } = new();

    public object GetDynamicParameters() => Limits;

    private ContainerLifecycle? _lifecycle;

    protected ContainerLifecycle Lifecycle => _lifecycle ??= new ContainerLifecycle(new ContainerStore(Store), Path.Combine(ModuleDirectory, "ctmon"));

    /// <summary>Creates the container from the store's image and the parameters.</summary>
    protected ContainerSnapshot CreateContainer() => Lifecycle.Store.Create(ContainerImage.FromStore(new ImageStore(Store), Image), new ContainerOptions
    {
        Name = Name,
        Command = Command,
        Entrypoint = Entrypoint,
        Environment = Strings(Environment),
        WorkingDirectory = WorkingDirectory,
        User = User,
        Hostname = Hostname,
        Labels = Strings(Label),
        Limits = Limits.ToLimits(),
    });

    private static Dictionary<string, string>? Strings(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(
            e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!,
            e => Convert.ToString(e.Value, CultureInfo.InvariantCulture) ?? "",
            StringComparer.Ordinal);
}
