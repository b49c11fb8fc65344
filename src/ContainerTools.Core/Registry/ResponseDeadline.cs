namespace ContainerTools.Core.Registry;

/// <summary>
/// Sends a request and waits a bounded time for the answer's headers: a server that accepts the connection and
/// never answers would otherwise hold a pull or login forever (HttpClient's own timeout is off, as a blob's body
/// takes as long as it takes). A request with a blob to upload is not bounded: its time is the upload's.
/// </summary>
internal static class ResponseDeadline
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan limit, object target, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (request.Content is null or ByteArrayContent)
            deadline.CancelAfter(limit);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new EngineException("RegistryNotResponding", ErrorKind.ConnectionError, target,
                $"{request.RequestUri?.Authority} sent no answer to {request.Method} {request.RequestUri?.AbsolutePath} for {limit.TotalSeconds:0.###} s.", e);
        }
    }
}
