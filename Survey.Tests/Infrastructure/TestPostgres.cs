using Npgsql;
using Survey.Api.Hosting;

namespace Survey.Tests.Infrastructure;

/// <summary>One throwaway PostgreSQL cluster for the whole test run, started with the API's own helper; a database per test class.</summary>
public static class TestPostgres
{
    private static readonly Lazy<EmbeddedPostgres> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private const string Prefix = "survey-tests-";

    private static EmbeddedPostgres Start()
    {
        SweepLeftovers();
        var root = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        // every test class runs its own API host (Marten, Hangfire, the projection daemon: several pools each) on this one cluster
        var cluster = EmbeddedPostgres.Start(Path.Combine(root, "pg"), maxConnections: 1000);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.Stop();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return cluster;
    }

    /// <summary>
    /// The clusters of earlier runs whose test process is gone. The exit handler above does not always get to run (the test
    /// platform ends its host process), and each run's cluster is ~0.6 GB: 45 of them (26 GB) had piled up in /tmp on a
    /// developer machine. A folder whose process still runs is another run's and left alone; a server still running in a dead
    /// run's folder is stopped (its postmaster signalled) before the folder goes.
    /// </summary>
    private static void SweepLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var name = Path.GetFileName(folder)[Prefix.Length..];
            if (!int.TryParse(name.Split('-')[0], out var pid) || Alive(pid)) continue; // this run's, or another live run's
            try
            {
                var pidFile = Path.Combine(folder, "pg", "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var postmaster) && Alive(postmaster))
                {
                    using var server = System.Diagnostics.Process.GetProcessById(postmaster);
                    if (server.ProcessName != "postgres") continue; // the number went to another program meanwhile: leave both
                    server.Kill(); // SIGKILL: the folder is deleted next, nothing in it is kept
                    server.WaitForExit(TimeSpan.FromSeconds(10));
                }
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException) { }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
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
