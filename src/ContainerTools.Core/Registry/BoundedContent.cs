namespace ContainerTools.Core.Registry;

/// <summary>
/// Reads a response body that must be small (manifests, tokens, errors), refusing one over the limit before and
/// while reading, and giving up on a server that stops sending (the stall guard) or breaks the body off.
/// </summary>
internal static class BoundedContent
{
    public static async Task<byte[]> ReadAsync(HttpContent content, int limit, TimeSpan stallLimit, string what, object? target, CancellationToken cancel)
    {
        if (content.Headers.ContentLength > limit)
            throw TooLarge(what, limit, target);
        await using var stream = new StallGuardStream(await content.ReadAsStreamAsync(cancel), stallLimit);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(chunk, cancel)) > 0)
            {
                if (buffer.Length + n > limit)
                    throw TooLarge(what, limit, target);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (TimeoutException e)
        {
            throw new EngineException("RegistryNotResponding", ErrorKind.ConnectionError, target, $"The {what} stopped coming: {e.Message}", e);
        }
        catch (HttpIOException e)
        {
            throw new EngineException("DownloadInterrupted", ErrorKind.ConnectionError, target, $"The {what} broke off: {e.Message}", e);
        }
        return buffer.ToArray();
    }

    private static EngineException TooLarge(string what, int limit, object? target) =>
        new("DocumentTooLarge", ErrorKind.LimitsExceeded, target, $"The {what} is larger than {limit} bytes.");
}
