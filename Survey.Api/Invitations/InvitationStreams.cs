using Marten;
using Npgsql;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>
/// The dispatcher's reads and writes of invitation streams, a batch at a time in set-based SQL on Marten's own tables: one query
/// reads the states and stream versions of a whole batch (Marten's FetchManyForWriting runs two statements per stream), and three
/// statements queued into a Marten session append the batch's events, move the stream versions and rewrite the inline read model
/// (Marten runs its append function and its document upsert once per stream: two thirds of the database's time per invitation,
/// measured in bench/dispatch/RESULTS.md); the SMS short links likewise. Rows carry what Marten's own writes carry (a number from Marten's event sequence, the
/// event type's alias and .NET type name, the tenant, the stream version as the document's version, the JSON of Marten's
/// serializer), so Marten and its async daemon read them as their own.
/// </summary>
/// <remarks>
/// Optimistic concurrency holds as with Marten's append: each event is written at the version its stream had when read plus one,
/// and an event stored meanwhile at that version (a status callback, a response, another node) violates Marten's unique index on
/// (tenant, stream, version): the whole transaction fails and <see cref="IsConflict"/> says so. The Invitation projection is the
/// only inline projection of these events (DistributionStore); this writer is its equivalent for the events it appends.
/// </remarks>
public sealed class InvitationStreams(IDocumentStore store, NpgsqlDataSource database)
{
    /// <summary>Events appended to one stream read at <paramref name="Version"/>, and the invitation's state after them.</summary>
    public sealed record Append(Guid StreamId, long Version, IReadOnlyList<object> Events, Invitation State);

    private string Schema => store.Options.DatabaseSchemaName;

    private readonly Dictionary<Type, (string Alias, string DotNetType)> _eventTypes =
        store.Options.Events.AllKnownEventTypes().ToDictionary(t => t.EventType, t => (t.EventTypeName, t.DotNetTypeName));

    /// <summary>The state and stream version of each invitation (null state for a stream that does not exist), in one query.</summary>
    public async Task<Dictionary<Guid, (Invitation? State, long Version)>> Load(string tenant, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var serializer = store.Options.Serializer();
        await using var command = database.CreateCommand($"""
            select s.id, d.data, s.version from {Schema}.mt_streams s
            left join {Schema}.mt_doc_invitation d on d.tenant_id = s.tenant_id and d.id = s.id
            where s.tenant_id = $1 and s.id = any($2)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { Value = ids.ToArray() });
        var found = new Dictionary<Guid, (Invitation?, long)>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found[reader.GetGuid(0)] = (reader.IsDBNull(1) ? null : serializer.FromJson<Invitation>(reader, 1), reader.GetInt64(2));
        return found;
    }

    /// <summary>Queues the appends into the session's transaction (three statements whatever their number).</summary>
    public void Queue(IDocumentSession session, string tenant, IReadOnlyCollection<Append> appends)
    {
        if (appends.Count == 0) return;
        var serializer = store.Options.Serializer();
        var events = appends.SelectMany(a => a.Events.Select((e, i) => (a.StreamId, Version: a.Version + i + 1, Event: e))).ToList();
        var types = events.Select(e => _eventTypes.TryGetValue(e.Event.GetType(), out var t)
            ? t : throw new InvalidOperationException($"{e.Event.GetType().Name} is not a registered event type.")).ToList();
        session.QueueSqlCommand($"""
            insert into {Schema}.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
            select nextval('{Schema}.mt_events_sequence'), u.id, u.stream_id, u.version, u.data::jsonb, u.type, ?, ?, u.dotnet_type, false
            from unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[]) with ordinality as u(id, stream_id, version, data, type, dotnet_type, n)
            order by u.n
            """,
            tenant, DateTimeOffset.UtcNow, events.Select(_ => Guid.CreateVersion7()).ToArray(), events.Select(e => e.StreamId).ToArray(),
            events.Select(e => e.Version).ToArray(), events.Select(e => serializer.ToJson(e.Event)).ToArray(),
            types.Select(t => t.Alias).ToArray(), types.Select(t => t.DotNetType).ToArray());
        var ids = appends.Select(a => a.StreamId).ToArray();
        var versions = appends.Select(a => a.Version + a.Events.Count).ToArray();
        session.QueueSqlCommand($"""
            update {Schema}.mt_streams s set version = greatest(s.version, u.version), timestamp = now()
            from unnest(?::uuid[], ?::bigint[]) as u(id, version) where s.tenant_id = ? and s.id = u.id
            """, ids, versions, tenant);
        session.QueueSqlCommand($"""
            update {Schema}.mt_doc_invitation d set data = u.data::jsonb, mt_version = u.version, mt_last_modified = transaction_timestamp()
            from unnest(?::uuid[], ?::text[], ?::bigint[]) as u(id, data, version) where d.tenant_id = ? and d.id = u.id
            """, ids, appends.Select(a => serializer.ToJson(a.State)).ToArray(), versions, tenant);
    }

    /// <summary>
    /// Queues one statement that stores the short links of a batch's SMS (Marten's upsert runs once per document); a resend's
    /// link is the same row again. Short links are single-tenanted documents: no tenant column.
    /// </summary>
    public void QueueShortLinks(IDocumentSession session, IReadOnlyCollection<ShortLink> links)
    {
        if (links.Count == 0) return;
        var serializer = store.Options.Serializer();
        var distinct = links.DistinctBy(l => l.Id).ToList();
        session.QueueSqlCommand($"""
            insert into {Schema}.mt_doc_shortlink (id, data, mt_version, mt_dotnet_type, mt_last_modified)
            select u.id, u.data::jsonb, gen_random_uuid(), ?, transaction_timestamp() from unnest(?::text[], ?::text[]) as u(id, data) order by u.id
            on conflict (id) do update set data = excluded.data, mt_version = excluded.mt_version, mt_last_modified = excluded.mt_last_modified
            """, typeof(ShortLink).FullName!, distinct.Select(l => l.Id).ToArray(), distinct.Select(l => serializer.ToJson(l)).ToArray());
    }

    /// <summary>Someone appended to one of the streams between the read and the write (Marten's version check or the writer's).</summary>
    public static bool IsConflict(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException
                || x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_mt_events_stream_and_version" })
                return true;
        return false;
    }
}
