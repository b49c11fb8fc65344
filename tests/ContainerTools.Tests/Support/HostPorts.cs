using System.Net;
using System.Net.Sockets;

namespace ContainerTools.Tests.Support;

/// <summary>
/// Host ports for tests that publish one or serve on one. They lie below the kernel's ephemeral range (32768 and up),
/// which connect() and a bind to port 0 draw from, so no client connection takes one between its choice and its use;
/// nothing binds them when handed out; and no two tests of a run get the same one.
/// </summary>
public static class HostPorts
{
    private const int Lowest = 20000;
    private const int BelowEphemeral = 32768;
    private static readonly HashSet<int> Given = [];

    /// <summary>The first of <paramref name="count"/> consecutive free ports.</summary>
    public static int Free(int count = 1)
    {
        lock (Given)
        {
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                int first = Lowest + Random.Shared.Next(BelowEphemeral - Lowest - count);
                var ports = Enumerable.Range(first, count).ToList();
                if (ports.All(p => !Given.Contains(p) && Bindable(p)))
                {
                    Given.UnionWith(ports);
                    return first;
                }
            }
        }
        throw new InvalidOperationException($"No {count} free host ports between {Lowest} and {BelowEphemeral}.");
    }

    /// <summary>
    /// An HTTP listener started on 127.0.0.1 at a port of <see cref="Free"/>. Its bind can still be refused (once in
    /// CI: "Address already in use" on a port found bindable a moment before); such a port is given up for another.
    /// </summary>
    public static (HttpListener Listener, int Port) Listen()
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    private static bool Bindable(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
