using Marten;
using Npgsql;
using NpgsqlTypes;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Answering;

/// <summary>The state of one response as a save needs it: the stream's version, when its Response document was written, the state.</summary>
/// <param name="DocumentWritten">The Response document's <c>mt_last_modified</c> (the writing transaction's time), so a document
/// rewritten by anything else since (erasure and retention scrub it without an event) is never overwritten from an older copy.</param>
/// <param name="NoDataKey">The response had no data key at <see cref="Version"/> (a key is only ever created by a save or
/// completion appending to the stream, so while the version holds, there is still none and the save need not look it up).</param>
public sealed record StoredResponse(long Version, DateTime DocumentWritten, Response State, bool NoDataKey);

/// <summary>One save's append: its event (sealed) and the Response document after it.</summary>
public sealed record SaveAppend(Guid ResponseId, StoredResponse Before, ResponseAnswersSaved Event, Response After);

/// <summary>The save batch's set-based SQL is refused because a stream or document changed since it was read (another node).</summary>
public sealed class StaleResponseException(string message) : Exception(message);

/// <summary>
/// The SQL of a batch of saves, written with Marten's own tables and column set so Marten reads it all back as if it had
/// appended the events itself (FetchStream, the async daemon, projection rebuilds): ONE statement loads the streams and
/// Response documents the node does not hold, and ONE statement appends every save of the batch (one row per event into
/// <c>mt_events</c>, the stream versions moved on only where they still are what the save was decided on, the Response
/// documents rewritten only where they are still the copy the save was decided on), sent with the insert of the batch's new
/// data keys in one round trip that is the batch's whole transaction, instead of Marten's per-stream
/// <c>mt_quick_append_events</c> call, per-document upsert function, BEGIN and COMMIT. The inline Response projection is
/// applied by the caller (the same <c>ResponseDecider.Evolve</c> Marten's projection runs).
/// </summary>
public sealed class SaveBatchSql
{
    private readonly ISerializer _serializer;
    private readonly string _load, _append;
    private readonly Operations.Ingesting.BulkDocuments<Privacy.DataKey> _keys;
    private readonly string _eventType, _eventDotNetType;

    public SaveBatchSql(IDocumentStore store)
    {
        _serializer = store.Options.Serializer();
        var schema = store.Options.Events.DatabaseSchemaName;
        var mapping = store.Options.Events.AllKnownEventTypes().Single(t => t.EventType == typeof(ResponseAnswersSaved));
        (_eventType, _eventDotNetType) = (mapping.EventTypeName, mapping.DotNetTypeName);
        // Every statement names its rows by primary key (`id = any($1)` besides the join with the arrays), so PostgreSQL looks them
        // up by index whatever its statistics say: on a table that grew since it was last analysed, a join alone was planned as a
        // hash of all of the tenant's rows, read for every batch.
        // (the data key's id is KeyIds.Response: "response:" and the id without dashes)
        _load = $"select s.id, s.version, d.mt_last_modified, not exists(select 1 from {schema}.mt_doc_datakey k where k.tenant_id = s.tenant_id " +
                "and k.id = 'response:' || replace(s.id::text, '-', '')), d.data " +
                $"from {schema}.mt_streams s join {schema}.mt_doc_response d on d.id = s.id and d.tenant_id = s.tenant_id " +
                "where s.id = any($1) and s.tenant_id = $2 and d.id = any($1) and d.tenant_id = $2";
        // One statement writes the whole batch: the stream versions moved on, the Response documents rewritten and the events
        // appended, each by data-modifying CTEs over the same arrays; the final select fails the statement (so the batch's
        // implicit transaction rolls back) when a stream or a document is no longer what the save was decided on.
        _append = $"""
            with v as (select * from unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::jsonb[], $5::jsonb[], $6::timestamptz[]) as v(id, version, event_id, event, document, written)),
            s as (update {schema}.mt_streams as s set version = v.version, timestamp = now() from v
                  where s.id = v.id and s.tenant_id = $7 and s.version = v.version - 1 and s.id = any($1) returning s.id),
            d as (update {schema}.mt_doc_response as d set data = v.document, mt_version = v.version, mt_last_modified = transaction_timestamp() from v
                  where d.id = v.id and d.tenant_id = $7 and d.mt_last_modified = v.written and d.id = any($1) returning d.id),
            e as (insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
                  select nextval('{schema}.mt_events_sequence'), v.event_id, v.id, v.version, v.event, $8, now(), $7, $9, false from v)
            select {schema}.{ExpectRowsFunction}((select count(*) from s), cardinality($1), 'response streams moved on since they were read'),
                   {schema}.{ExpectRowsFunction}((select count(*) from d), cardinality($1), 'response documents changed since they were read'),
                   transaction_timestamp()
            """;
        _keys = new Operations.Ingesting.BulkDocuments<Privacy.DataKey>(store);
    }

    public async Task<Dictionary<Guid, StoredResponse>> Load(NpgsqlConnection connection, string tenantId, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var found = new Dictionary<Guid, StoredResponse>(ids.Count);
        if (ids.Count == 0) return found;
        await using var command = new NpgsqlCommand(_load, connection)
        {
            Parameters = { new() { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid }, new() { Value = tenantId } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (id, version, written, noKey) = (reader.GetGuid(0), reader.GetInt64(1), reader.GetDateTime(2), reader.GetBoolean(3));
            await using var json = await reader.GetStreamAsync(4, ct);
            found[id] = new StoredResponse(version, written, await _serializer.FromJsonAsync<Response>(json, ct), noKey);
        }
        return found;
    }

    /// <summary>
    /// Writes the batch in one round trip that is its own transaction (no BEGIN, no COMMIT: PostgreSQL runs the statements of
    /// one pipelined batch as one implicit transaction and commits it before answering): the appends, and the data keys the
    /// decisions created. Returns when the documents were written (the transaction's time) once that is committed. Throws
    /// <see cref="StaleResponseException"/> when any save was decided on an old copy, and the database's own error when another
    /// writer appended to one of these streams or created one of these keys first; then nothing of the batch is written.
    /// </summary>
    public async Task<DateTime> Append(NpgsqlConnection connection, string tenantId, IReadOnlyList<SaveAppend> saves, IReadOnlyList<Privacy.DataKey> newKeys, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(_append, saves.Select(s => s.ResponseId).ToArray(), saves.Select(s => s.Before.Version + 1).ToArray(), saves.Select(_ => Guid.CreateVersion7()).ToArray(),
                    saves.Select(s => _serializer.ToJson(s.Event)).ToArray(), saves.Select(s => _serializer.ToJson(s.After)).ToArray(),
                    saves.Select(s => s.Before.DocumentWritten).ToArray(), tenantId, _eventType, _eventDotNetType),
            },
        };
        if (newKeys.Count > 0) batch.BatchCommands.Add(_keys.InsertCommand(tenantId, newKeys, k => k.Id));
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var written = reader.GetDateTime(2);
            while (await reader.NextResultAsync(ct)) { } // the keys' insert: any error of it surfaces here
            return written;
        }
        catch (PostgresException e) when (e.SqlState == ExpectRowsState)
        {
            throw new StaleResponseException(e.MessageText);
        }
    }

    /// <summary>The function the append statement asserts with (created at start-up, <see cref="ExpectRowsDdl"/>).</summary>
    public const string ExpectRowsFunction = "expect_rows";
    private const string ExpectRowsState = "40001"; // serialization_failure: the batch lost a race, to be written again

    /// <summary>DDL for <see cref="ExpectRowsFunction"/>: fails the statement calling it when a count is not the one expected.</summary>
    public static string ExpectRowsDdl(string schema) => $"""
        create or replace function {schema}.{ExpectRowsFunction}(actual bigint, expected bigint, what text) returns bigint language plpgsql as $f$
        begin
          if actual <> expected then raise exception '% of % %', expected - actual, expected, what using errcode = '{ExpectRowsState}'; end if;
          return actual;
        end $f$;
        """;

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(value switch
            {
                string[] texts => new NpgsqlParameter { Value = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                DateTime[] times => new NpgsqlParameter { Value = times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = value },
            });
        return command;
    }
}
