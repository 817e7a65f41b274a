using System.Net;
using System.Net.Sockets;

namespace NeuroCore.Service.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the service that can cut every connection at once and refuse new ones for a
/// while: a network drop in the middle of a live stream.
/// </summary>
public sealed class DroppingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private DateTime _refuseUntil;

    /// <summary>Forwards to <paramref name="target"/>.</summary>
    public DroppingProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        _ = AcceptLoop();
    }

    /// <summary>The proxy's URL.</summary>
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Connections cut so far.</summary>
    public int Dropped { get; private set; }

    /// <summary>Cuts every open connection and refuses new ones for <paramref name="outage"/>.</summary>
    public void Drop(TimeSpan outage)
    {
        lock (_open)
        {
            _refuseUntil = DateTime.UtcNow + outage;
            foreach (var c in _open) { try { c.Client.LingerState = new LingerOption(true, 0); c.Close(); } catch (ObjectDisposedException) { } Dropped++; }
            _open.Clear();
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            bool refuse;
            lock (_open) refuse = DateTime.UtcNow < _refuseUntil;
            if (refuse) { client.Client.LingerState = new LingerOption(true, 0); client.Close(); continue; }
            _ = Pipe(client);
        }
    }

    private async Task Pipe(TcpClient client)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target.Host, _target.Port);
            lock (_open) { _open.Add(client); _open.Add(upstream); }
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception) { }
        finally
        {
            lock (_open) { _open.Remove(client); _open.Remove(upstream); }
            client.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Drop(TimeSpan.Zero);
    }
}
