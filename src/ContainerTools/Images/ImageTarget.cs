using ContainerTools.Core;

namespace ContainerTools.Images;

/// <summary>
/// The image a cmdlet acts on, from -Name or -Id. Both bind by property name from Get-ContainerImage's rows: a
/// named row acts on its name (Remove untags just that name), a nameless (dangling) row, whose Name is null, on its Id.
/// </summary>
internal static class ImageTarget
{
    public static IEnumerable<string> Of(string[]? names, string[]? ids)
    {
        var named = (names ?? []).Where(n => !string.IsNullOrEmpty(n)).ToList();
        if (named.Count > 0)
            return named;
        var byId = (ids ?? []).Where(i => !string.IsNullOrEmpty(i)).ToList();
        return byId.Count > 0 ? byId
            : throw new EngineException("ImageNotSpecified", ErrorKind.InvalidArgument, null, "Give the image with -Name or -Id.");
    }
}
