using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ContainerTools.Build;
using ContainerTools.Core.Build.Execution;
using ContainerTools.Core.Images;
using ContainerTools.Core.Registry;
using ContainerTools.Images;
using ContainerTools.Transforms;

namespace ContainerTools.Cmdlets;

/// <summary>Build-ContainerImage: `docker build`. Builds a Dockerfile in a context directory into a named image.</summary>
[Cmdlet(VerbsLifecycle.Build, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerImageInfo))]
public sealed class BuildContainerImageCommand : RegistryCmdlet
{
    /// <summary>The build context; the current directory when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>The Dockerfile, relative to the current directory; Dockerfile (or Containerfile) in the context when omitted.</summary>
    [Parameter]
    [Alias("Dockerfile")]
    [ValidateNotNullOrEmpty]
    public string? File { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    [Parameter]
    [NameValueTransformation]
    public Hashtable? BuildArgument { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Target { get; set; }

    [Parameter]
    public SwitchParameter NoCache { get; set; }

    /// <summary>Pulls every base image again even when the store has it (docker build --pull); a missing one is always pulled.</summary>
    [Parameter]
    public SwitchParameter Pull { get; set; }

    protected override void ProcessRecord()
    {
        var tags = new List<ImageReference>();
        TryTerminating(() => tags.AddRange(Tag.Select(ImageReference.Parse)));
        var request = new BuildRequest
        {
            Context = GetUnresolvedProviderPathFromPSPath(Path),
            Dockerfile = File is null ? null : GetUnresolvedProviderPathFromPSPath(File),
            Tags = tags,
            Arguments = (BuildArgument ?? []).Cast<DictionaryEntry>().ToDictionary(
                e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!, e => Convert.ToString(e.Value, CultureInfo.InvariantCulture) ?? ""),
            Target = Target,
            NoCache = NoCache,
            Pull = Pull ? PullPolicy.Always : PullPolicy.Missing,
            Registry = Options,
        };
        if (!ShouldProcess(request.Context, tags.Count == 0 ? "Build image" : $"Build image {tags[0]}"))
            return;
        var progress = new BuildProgressWriter(this, "Building " + request.Context);
        try
        {
            Try(() =>
            {
                var image = new ImageBuilder(Store, System.IO.Path.Combine(ModuleDirectory, "ctmon")).Build(request, progress, StopToken);
                WriteObject(new ContainerImageInfo(image, tags.Count == 0 ? null : tags[0].ToString()));
            });
        }
        finally
        {
            progress.Complete();
        }
    }
}
