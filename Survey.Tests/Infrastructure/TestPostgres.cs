using Npgsql;
using Survey.Api.Hosting;

namespace Survey.Tests.Infrastructure;

/// <summary>One throwaway PostgreSQL cluster for the whole test run, started with the API's own helper; a database per test class.</summary>
public static class TestPostgres
{
    private static readonly Lazy<EmbeddedPostgres> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private static EmbeddedPostgres Start()
    {
        var root = Path.Combine(Path.GetTempPath(), $"survey-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
        // every test class runs its own API host (Marten, Hangfire, the projection daemon: several pools each) on this one cluster
        var cluster = EmbeddedPostgres.Start(Path.Combine(root, "pg"), maxConnections: 1000);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.Stop();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return cluster;
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public static string CreateDatabase(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        Cluster.Value.EnsureDatabase(name);
        return Cluster.Value.ConnectionString(name);
    }

    public static async Task<string?> TextAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }
}
