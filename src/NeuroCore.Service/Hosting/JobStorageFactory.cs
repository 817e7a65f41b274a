using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Npgsql;

namespace NeuroCore.Service.Hosting;

/// <summary>Turns a storage spec (<c>sqlite</c>, null, or <c>postgres://user:pass@host:port/db</c>) into a Hangfire job storage.</summary>
public static class JobStorageFactory
{
    /// <summary>True when <paramref name="spec"/> names PostgreSQL.</summary>
    public static bool IsPostgres(string? spec) =>
        spec is not null && (spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates the storage.</summary>
    /// <exception cref="ArgumentException">The spec is not understood.</exception>
    public static JobStorage Create(string? spec, string dataFolder, TimeSpan requeueAfter)
    {
        if (string.IsNullOrEmpty(spec) || spec.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            Directory.CreateDirectory(dataFolder);
            string path = Path.Combine(Path.GetFullPath(dataFolder), "jobs.sqlite");
            return new SQLiteStorage(path, new SQLiteStorageOptions
            {
                QueuePollInterval = TimeSpan.FromSeconds(1),
                InvisibilityTimeout = requeueAfter,
            });
        }
        if (IsPostgres(spec))
        {
            var options = new PostgreSqlStorageOptions
            {
                QueuePollInterval = TimeSpan.FromSeconds(1),
                InvisibilityTimeout = requeueAfter,
                // A running job keeps its fetch alive by heartbeat: only a vanished worker's job is handed on.
                UseSlidingInvisibilityTimeout = true,
                PrepareSchemaIfNecessary = true,
                DistributedLockTimeout = TimeSpan.FromSeconds(30),
            };
            if (SchemaOf(spec) is { } schema) options.SchemaName = schema;
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(ToConnectionString(spec), options), options);
        }
        throw new ArgumentException($"--storage '{spec}' is not understood: use 'sqlite' (the default, in the data folder) or 'postgres://user:password@host:port/database'.");
    }

    /// <summary>The <c>?schema=NAME</c> of a postgres URL (default: Hangfire's <c>hangfire</c>), so several services can share a database.</summary>
    public static string? SchemaOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length < 2) return null;
        foreach (var pair in uri.Query[1..].Split('&'))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "schema" && System.Text.RegularExpressions.Regex.IsMatch(kv[1], "^[A-Za-z_][A-Za-z0-9_]{0,62}$")) return kv[1];
        }
        return null;
    }

    /// <summary>An Npgsql connection string from a <c>postgres://</c> URL.</summary>
    public static string ToConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException($"--storage '{Redact(url)}' is not a valid postgres:// URL (postgres://user:password@host:port/database).");
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1) b.Password = Uri.UnescapeDataString(parts[1]);
        }
        return b.ConnectionString;
    }

    /// <summary>The spec without its password, for messages.</summary>
    public static string Redact(string? spec) =>
        spec is null ? "sqlite" : System.Text.RegularExpressions.Regex.Replace(spec, "://([^:/@]+):[^@]*@", "://$1:***@");
}
