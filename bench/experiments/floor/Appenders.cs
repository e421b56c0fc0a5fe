using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Floor;

/// <summary>Appends a save; true when it was inserted now, false when it was not (already saved, or no such response).</summary>
public interface ISaveAppender
{
    Task<bool> Append(Guid responseId, int sequence, string body, CancellationToken ct);
}

/// <summary>Variant (a): one insert per request, in its own transaction (one round trip: the statement commits itself).</summary>
public sealed class SingleInsert(FloorDatabase db) : ISaveAppender
{
    public Task<bool> Append(Guid responseId, int sequence, string body, CancellationToken ct) => db.InsertSave(responseId, sequence, body, ct);
}

/// <summary>
/// Variant (b): group commit. Saves wait in a queue; each of a few writers takes what is there (at most a batch) and inserts it
/// with one set-based statement that commits itself, then answers each save. While a batch is in flight the next saves queue
/// up, so the busier the node, the more saves share a commit. Nothing is answered before the commit that holds it.
/// </summary>
public sealed class GroupCommit(NpgsqlDataSource db, int writers, int batchSize) : BackgroundService, ISaveAppender
{
    private const string Sql =
        "insert into survey.mt_events (stream_id, version, type, data) " +
        "select t.s, t.v, 'response_answers_saved', t.d from unnest($1::uuid[], $2::int[], $3::jsonb[]) as t (s, v, d) " +
        // a scalar subquery, not "exists": exists becomes a semi-join, whose generic plan made while mt_streams is small is a
        // hash join over a sequential scan of mt_streams, kept until an analyze invalidates it; this is an index probe per row
        "where (select true from survey.mt_streams where id = t.s) " +
        "on conflict do nothing returning stream_id, version";

    private sealed record Pending(Guid ResponseId, int Sequence, string Body)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    public Task<bool> Append(Guid responseId, int sequence, string body, CancellationToken ct)
    {
        var pending = new Pending(responseId, sequence, body);
        if (!_queue.Writer.TryWrite(pending)) throw new InvalidOperationException("The node is stopping.");
        return pending.Done.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() => Write(stoppingToken), stoppingToken)));

    private async Task Write(CancellationToken stop)
    {
        var batch = new List<Pending>(batchSize);
        var inserted = new HashSet<(Guid, int)>();
        while (await _queue.Reader.WaitToReadAsync(stop))
        {
            batch.Clear();
            while (batch.Count < batchSize && _queue.Reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count == 0) continue;
            try
            {
                inserted.Clear();
                await using (var cmd = db.CreateCommand(Sql))
                {
                    cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = batch.Select(p => p.ResponseId).ToArray() });
                    cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = batch.Select(p => p.Sequence).ToArray() });
                    cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(p => p.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                    await using var reader = await cmd.ExecuteReaderAsync(CancellationToken.None); // a batch in flight is finished, not abandoned
                    while (await reader.ReadAsync(CancellationToken.None)) inserted.Add((reader.GetGuid(0), reader.GetInt32(1)));
                }
                foreach (var p in batch) p.Done.TrySetResult(inserted.Remove((p.ResponseId, p.Sequence)));
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }
}
