namespace ContainerTools.Core.Registry;

/// <summary>Reads a response body that must be small (manifests, tokens, errors), refusing one over the limit before and while reading.</summary>
internal static class BoundedContent
{
    public static async Task<byte[]> ReadAsync(HttpContent content, int limit, string what, object? target, CancellationToken cancel)
    {
        if (content.Headers.ContentLength > limit)
            throw TooLarge(what, limit, target);
        await using var stream = await content.ReadAsStreamAsync(cancel);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + n > limit)
                throw TooLarge(what, limit, target);
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static EngineException TooLarge(string what, int limit, object? target) =>
        new("DocumentTooLarge", ErrorKind.LimitsExceeded, target, $"The {what} is larger than {limit} bytes.");
}
