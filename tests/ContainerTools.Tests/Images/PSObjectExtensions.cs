using System.Management.Automation;

namespace ContainerTools.Tests.Images;

/// <summary>Reads the module's output objects by property, as a script would (the tests never bind to the module assembly's types).</summary>
public static class PSObjectExtensions
{
    public static T Get<T>(this PSObject o, string property) => (T)o.Properties[property].Value;

    public static string? Text(this PSObject o, string property) => o.Properties[property].Value?.ToString();

    public static IReadOnlyList<Core.Images.ImageLayer> Layers(this PSObject o) => o.Get<IReadOnlyList<Core.Images.ImageLayer>>("Layers");

    public static Core.Images.ImageConfig Config(this PSObject o) => o.Get<Core.Images.ImageConfig>("Config");
}
