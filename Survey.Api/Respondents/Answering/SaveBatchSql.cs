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
/// Response documents the node does not hold, and ONE round trip of three set-based statements appends every save of the
/// batch (one row per event into <c>mt_events</c>, the stream versions moved on only where they still are what the save was
/// decided on, the Response documents rewritten only where they are still the copy the save was decided on) instead of
/// Marten's per-stream <c>mt_quick_append_events</c> call and per-document upsert function. The inline Response projection is
/// applied by the caller (the same <c>ResponseDecider.Evolve</c> Marten's projection runs), in the same transaction.
/// </summary>
public sealed class SaveBatchSql
{
    private readonly ISerializer _serializer;
    private readonly string _load, _streams, _events, _documents;
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
        _streams = $"update {schema}.mt_streams as s set version = v.version, timestamp = now() from unnest($1::uuid[], $2::bigint[], $3::bigint[]) as v(id, expected, version) " +
                   "where s.id = v.id and s.tenant_id = $4 and s.version = v.expected and s.id = any($1)";
        _events = $"insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) " +
                  $"select nextval('{schema}.mt_events_sequence'), v.id, v.stream_id, v.version, v.data, $5, now(), $6, $7, false " +
                  "from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::jsonb[]) as v(id, stream_id, version, data)";
        // mt_version of a projected document is its stream's version (as Marten's inline projection writes it)
        _documents = $"update {schema}.mt_doc_response as d set data = v.data, mt_version = v.version, mt_last_modified = transaction_timestamp() " +
                      "from unnest($1::uuid[], $2::jsonb[], $3::timestamptz[], $4::bigint[]) as v(id, data, written, version) " +
                      "where d.id = v.id and d.tenant_id = $5 and d.mt_last_modified = v.written and d.id = any($1) returning d.mt_last_modified";
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
    /// Appends every save of the batch in one round trip and returns when their documents were written (the transaction's time);
    /// throws <see cref="StaleResponseException"/> when any was decided on an old copy.
    /// </summary>
    public async Task<DateTime> Append(NpgsqlConnection connection, string tenantId, IReadOnlyList<SaveAppend> saves, CancellationToken ct)
    {
        var ids = saves.Select(s => s.ResponseId).ToArray();
        var versions = saves.Select(s => s.Before.Version + 1).ToArray();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(_streams, ids, saves.Select(s => s.Before.Version).ToArray(), versions, tenantId),
                Command(_events, saves.Select(_ => Guid.CreateVersion7()).ToArray(), ids, versions,
                    saves.Select(s => _serializer.ToJson(s.Event)).ToArray(), _eventType, tenantId, _eventDotNetType),
                Command(_documents, ids, saves.Select(s => _serializer.ToJson(s.After)).ToArray(),
                    saves.Select(s => s.Before.DocumentWritten).ToArray(), versions, tenantId),
            },
        };
        var written = DateTime.MinValue;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) written = reader.GetDateTime(0); // the only statement returning rows: the documents'

        if (batch.BatchCommands[0].RecordsAffected != saves.Count)
            throw new StaleResponseException($"{saves.Count - batch.BatchCommands[0].RecordsAffected} of {saves.Count} response streams moved on since they were read.");
        if (batch.BatchCommands[2].RecordsAffected != saves.Count)
            throw new StaleResponseException($"{saves.Count - batch.BatchCommands[2].RecordsAffected} of {saves.Count} response documents changed since they were read.");
        return written;
    }

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
