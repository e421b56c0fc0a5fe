using Npgsql;

namespace Survey.Api.Operations.Ingesting;

/// <summary>
/// Keeps PostgreSQL's statistics of the tables a bulk import fills in step with it: each time the import has stored as many
/// rows as the tables held when they were last analysed (at least <see cref="MinRows"/>), it runs ANALYZE on them.
/// <para>
/// Why: an import into empty or small tables grows them faster than autovacuum's first visit (up to a minute), and the
/// statements prepared on the import's connections keep plans made for near-empty tables: a batch then looks its customers
/// and keys up by tenant alone, reading all of the tenant's rows every time (seen on the save path with auto_explain; on a
/// 100,000-row import bench/ingest measured PostgreSQL at 0.067-0.074 ms of CPU per event after an ANALYZE and 0.087-0.100
/// without). ANALYZE invalidates those plans; PostgreSQL's documentation recommends it after loading data in bulk. Analysing at each doubling costs a few ANALYZE runs per import (each one samples at most 30,000 rows
/// per table). A failed ANALYZE is logged and the import goes on: it only affects speed.
/// </para>
/// </summary>
public sealed class GrowingTables(NpgsqlDataSource database, IReadOnlyList<string> tables, ILogger logger)
{
    /// <summary>No ANALYZE before this many rows stored by one import.</summary>
    public const int MinRows = 10_000;

    private double _known = -1;
    private long _since;
    private bool _off;

    /// <summary>Counts rows stored by the import; analyses the tables when they have about doubled since they were last analysed.</summary>
    public async Task Stored(long rows, CancellationToken ct)
    {
        if (_off || rows <= 0) return;
        _since += rows;
        try
        {
            if (_known < 0) _known = await KnownRows(ct);
            if (_since < Math.Max(MinRows, _known)) return;
            // ANALYZE waits for a VACUUM of the same table (autovacuum gives way to it, except against wraparound): not for long
            await using (var connection = await database.OpenConnectionAsync(ct))
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                await using (var limit = new NpgsqlCommand("set local lock_timeout = '2s'", connection, transaction)) await limit.ExecuteNonQueryAsync(ct);
                await using (var analyze = new NpgsqlCommand($"analyze {string.Join(", ", tables)}", connection, transaction)) await analyze.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
            }
            _known = await KnownRows(ct);
            _since = 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            _since = 0; // a vacuum holds the table: again after as many rows more
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            _off = true;
            logger.LogWarning(e, "ANALYZE of {Tables} during a bulk import failed; the import goes on without", string.Join(", ", tables));
        }
    }

    /// <summary>The rows PostgreSQL's statistics say the tables hold (never analysed: 0).</summary>
    private async Task<double> KnownRows(CancellationToken ct)
    {
        await using var command = database.CreateCommand("select coalesce(sum(greatest(reltuples, 0)), 0)::float8 from pg_class where oid = any($1::regclass[])");
        command.Parameters.Add(new NpgsqlParameter { Value = tables.ToArray() });
        return (double)(await command.ExecuteScalarAsync(ct) ?? 0d);
    }
}
