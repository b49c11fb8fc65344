using System.Net;

namespace ContainerTools.Core.Registry;

/// <summary>
/// Sends a request (within the response deadline) and follows a GET's or HEAD's redirects itself, at most
/// <see cref="MaxRedirects"/>: blobs kept in storage elsewhere, a token service that moved. The Authorization header
/// goes along only within the origin it is for, never to another host, and a redirect to anything but HTTP(S), or
/// from HTTPS down to plain HTTP, is refused. Other methods get their 3xx back (their bodies cannot be sent again).
/// </summary>
internal static class Redirects
{
    public const int MaxRedirects = 5;

    /// <summary>Whether a request sent to <paramref name="from"/> may go on at <paramref name="to"/>: HTTP(S) only, and never from HTTPS down to plain HTTP.</summary>
    public static bool IsSafe(Uri from, Uri to) => to.Scheme == "https" || (to.Scheme == "http" && from.Scheme != "https");

    /// <param name="origin">The scheme, host and port the request's Authorization header is for.</param>
    /// <param name="registry">The registry, as errors name it.</param>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, Uri origin, TimeSpan stallLimit, string registry, CancellationToken cancel)
    {
        var response = await ResponseDeadline.SendAsync(http, request, stallLimit, registry, cancel);
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
            return response;
        for (int redirects = 0; response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                 or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect; redirects++)
        {
            var from = response.RequestMessage!.RequestUri!;
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
                throw new EngineException("InvalidRedirect", ErrorKind.InvalidData, registry, $"Registry {registry} redirected {from.AbsolutePath} without a Location.");
            var to = location.IsAbsoluteUri ? location : new Uri(from, location);
            if (!IsSafe(from, to))
                throw new EngineException("UnsafeRedirect", ErrorKind.SecurityError, registry,
                    $"Registry {registry} redirected {from.AbsolutePath} to {to.AbsoluteUri}, which is refused: {(to.Scheme is "http" ? "a redirect must not leave HTTPS for plain HTTP" : "only HTTP(S) is followed")}.");
            if (redirects == MaxRedirects)
                throw new EngineException("TooManyRedirects", ErrorKind.LimitsExceeded, request.RequestUri!.ToString(),
                    $"Registry {registry} redirected {request.RequestUri.AbsolutePath} more than {MaxRedirects} times.");
            var next = new HttpRequestMessage(request.Method, to);
            bool sameOrigin = Uri.Compare(to, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
            foreach (var header in request.Headers.NonValidated)
            {
                if (sameOrigin || header.Key != "Authorization")
                    next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response = await ResponseDeadline.SendAsync(http, next, stallLimit, registry, cancel);
        }
        return response;
    }
}
