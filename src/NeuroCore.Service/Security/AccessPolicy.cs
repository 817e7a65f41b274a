using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NeuroCore.Service.Security;

/// <summary>
/// Who may do what: writes need the API key when one is set (<c>Authorization: Bearer KEY</c>); reads are public from
/// loopback clients, and from anywhere only when <see cref="PublicReads"/> is set or no key is configured.
/// </summary>
public sealed class AccessPolicy(string? apiKey, bool publicReads)
{
    private readonly byte[]? _key = string.IsNullOrEmpty(apiKey) ? null : Encoding.UTF8.GetBytes(apiKey);

    /// <summary>True when an API key is configured.</summary>
    public bool HasKey => _key is not null;

    /// <summary>True when reads are public from any client.</summary>
    public bool PublicReads { get; } = publicReads;

    /// <summary>True when the request carries the configured key (constant-time comparison).</summary>
    public bool HasValidKey(HttpContext context)
    {
        if (_key is null) return false;
        string header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var given = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _key);
    }

    /// <summary>True when the request may write (upload, render, delete, cancel).</summary>
    public bool MayWrite(HttpContext context) => _key is null || HasValidKey(context);

    /// <summary>True when the request may read runs and jobs.</summary>
    public bool MayRead(HttpContext context) => _key is null || PublicReads || IsLoopback(context) || HasValidKey(context);

    /// <summary>True when the client connected from this machine.</summary>
    public static bool IsLoopback(HttpContext context) => context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);
}
