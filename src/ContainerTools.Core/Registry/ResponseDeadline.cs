using System.Net;

namespace ContainerTools.Core.Registry;

/// <summary>
/// Sends a request and gives up on a server that makes no progress for the limit: one that accepts the connection
/// and never answers, or stops taking an upload, would otherwise hold a pull, push or login forever (HttpClient's
/// own timeout is off, as a blob takes as long as it takes). A request with a body streamed from a blob is given
/// the limit again each time the server takes a chunk of it; its answer then has the limit from its last chunk.
/// </summary>
internal static class ResponseDeadline
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan limit, object target, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bool upload = request.Content is StreamContent;
        if (upload)
            request.Content = new WatchedContent(request.Content!, () => deadline.CancelAfter(limit));
        deadline.CancelAfter(limit);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException && deadline.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            string what = $"{request.Method} {request.RequestUri?.AbsolutePath}";
            throw new EngineException("RegistryNotResponding", ErrorKind.ConnectionError, target,
                $"{request.RequestUri?.Authority} {(upload ? $"took no more of the upload {what} and sent no answer" : $"sent no answer to {what}")} for {limit.TotalSeconds:0.###} s.", e);
        }
    }

    /// <summary>A request body copied from another in chunks, calling <paramref name="progressed"/> after each one the server took.</summary>
    private sealed class WatchedContent : HttpContent
    {
        private const int ChunkSize = 64 * 1024;

        private readonly HttpContent _inner;
        private readonly Action _progressed;

        public WatchedContent(HttpContent inner, Action progressed)
        {
            _inner = inner;
            _progressed = progressed;
            foreach (var header in inner.Headers)
                Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancel)
        {
            await using var source = await _inner.ReadAsStreamAsync(cancel);
            byte[] chunk = new byte[ChunkSize];
            int read;
            while ((read = await source.ReadAsync(chunk, cancel)) > 0)
            {
                await stream.WriteAsync(chunk.AsMemory(0, read), cancel);
                _progressed();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
