using System.Collections.Concurrent;
using System.Net;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Registry;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 that speaks just enough of the registry API to lie: /v2/ answers 200, and
/// each other path is served by the handler the test gives (wrong bytes, huge manifests, redirect loops).
/// Every request is recorded, so a test can check what the client sent (and to whom).
/// </summary>
public sealed class HostileRegistry : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Dictionary<string, Action<HttpListenerRequest, HttpListenerResponse>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly Task _loop;

    public HostileRegistry()
    {
        (_listener, Port) = HostPorts.Listen();
        _routes["/v2/"] = (_, response) => response.AddHeader("Docker-Distribution-API-Version", "registry/2.0");
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The requests received so far, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Received => _received.ToArray();

    /// <summary>Serves <paramref name="path"/> (any method) with <paramref name="handler"/>.</summary>
    public HostileRegistry On(string path, Action<HttpListenerResponse> handler) => On(path, (_, response) => handler(response));

    /// <summary>Serves <paramref name="path"/> with a handler that also reads the request (its method, query, headers).</summary>
    public HostileRegistry On(string path, Action<HttpListenerRequest, HttpListenerResponse> handler)
    {
        lock (_routes)
            _routes[path] = handler;
        return this;
    }

    public HostileRegistry OnBytes(string path, byte[] body, string contentType = "application/octet-stream") =>
        On(path, response =>
        {
            response.ContentType = contentType;
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
        });

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Serve(context));
        }
    }

    private void Serve(HttpListenerContext context)
    {
        using var response = context.Response;
        // Disposing a response aborts its connection: it says so, or a client that reuses the connection for its
        // next request (a blob's PUT) races the abort and loses that request to a broken pipe.
        response.KeepAlive = false;
        var request = context.Request;
        _received.Enqueue(new ReceivedRequest(request.HttpMethod, request.Url!.PathAndQuery, request.Headers["Authorization"]));
        Action<HttpListenerRequest, HttpListenerResponse>? handler;
        lock (_routes)
            _routes.TryGetValue(request.Url.AbsolutePath, out handler);
        try
        {
            if (handler is null)
                response.StatusCode = 404;
            else
                handler(request, response);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // the client hung up on a lie it refused: that is the point
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(5000);
        }
        catch (AggregateException)
        {
        }
    }
}

/// <summary>A request as the fake registry received it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, string? Authorization);
