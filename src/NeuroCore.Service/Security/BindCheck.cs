using System.Net;

namespace NeuroCore.Service.Security;

/// <summary>Refuses to listen beyond this machine without an API key.</summary>
public static class BindCheck
{
    /// <summary>True when every URL of <paramref name="urls"/> (separated by ';') binds to a loopback address.</summary>
    public static bool IsLoopbackOnly(string urls, out string? outside)
    {
        foreach (var raw in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string url = raw.Replace("://*", "://wildcard").Replace("://+", "://wildcard");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) { outside = raw; return false; }
            string host = uri.Host.Trim('[', ']');
            bool loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback) { outside = raw; return false; }
        }
        outside = null;
        return true;
    }
}
