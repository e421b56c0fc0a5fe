using Npgsql;

namespace SaveLoad;

/// <summary>
/// PostgreSQL's cumulative counters for the API's database (commits, rows written) and the cluster's WAL (flushes, bytes): per
/// save they do not depend on how busy the machine is, unlike saves per second.
/// </summary>
/// <param name="WalLsn">The cluster's current WAL position when taken (for <c>pg_waldump</c> over a window of a kept scratch folder).</param>
/// <param name="WalSyncMs">Time spent in WAL flushes (pg_stat_wal.wal_sync_time; 0 unless <c>track_wal_io_timing</c> is on: <c>--pg-set track_wal_io_timing=on</c>).</param>
public sealed record DatabaseCounters(long Commits, long RowsWritten, long WalSyncs, long WalBytes, long Autovacuums, string WalLsn = "", double WalSyncMs = 0)
{
    public static async Task<DatabaseCounters> Take(string connectionString)
    {
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await c.OpenAsync();
        // Other backends publish their counters at most once a second (PostgreSQL 15's cumulative statistics), so up to a second
        // of each backend's work is missing from a sample. Under steady load what is missing at the start of a window is about
        // what is missing at its end, so deltas over a window of 10 s or more are good to a few percent.
        await using var cmd = new NpgsqlCommand(
            "select xact_commit, tup_inserted + tup_updated, (select wal_sync from pg_stat_wal), (select wal_bytes::bigint from pg_stat_wal), " +
            "(select coalesce(sum(autovacuum_count + autoanalyze_count), 0)::bigint from pg_stat_user_tables), pg_current_wal_lsn()::text, (select wal_sync_time from pg_stat_wal) " +
            "from pg_stat_database where datname = current_database()", c);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new DatabaseCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5), reader.GetDouble(6));
    }

    public DatabaseCounters Since(DatabaseCounters start) =>
        new(Commits - start.Commits, RowsWritten - start.RowsWritten, WalSyncs - start.WalSyncs, WalBytes - start.WalBytes, Autovacuums - start.Autovacuums, $"{start.WalLsn}..{WalLsn}", WalSyncMs - start.WalSyncMs);
}
