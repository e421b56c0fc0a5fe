using Microsoft.Extensions.Options;
using Npgsql;
using Survey.Api.Storage;

namespace Survey.Api.Invitations;

/// <summary>An invitation claimed for sending: its tenant and id.</summary>
public sealed record DueInvitation(string TenantId, Guid InvitationId, DateTimeOffset DueAt);

/// <summary>
/// When invitations are due, in our own table rather than one Hangfire job each (Hangfire.PostgreSql's dequeue degrades with
/// hundreds of thousands of queued jobs). Dispatcher jobs claim due rows in batches with FOR UPDATE SKIP LOCKED, so any
/// number of nodes share the work and never take the same invitation; a claim lapses after a while, so a crashed
/// dispatcher's invitations are picked up again (and the invitation's own attempt record stops a second send).
/// </summary>
public sealed class DueInvitations(NpgsqlDataSource database, IOptions<StorageOptions> storage)
{
    private string Table => $"{storage.Value.Schema}.invitation_due";

    /// <remarks>
    /// Pages are filled to 70% only (fillfactor), so that a claim, which changes only the unindexed <c>claimed_until</c>,
    /// writes the row's new version on its own page without new index entries (a HOT update): measured with
    /// <c>bench/dispatch/claim-plan.sh</c>, a claim of 500 rows touched 8,400-8,900 buffers with full pages and 5,700-5,800 with
    /// these, whether a million other rows were waiting or not. Setting it on an existing table applies to the pages written
    /// from then on.
    /// </remarks>
    public async Task EnsureTable(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            create schema if not exists {storage.Value.Schema};
            create table if not exists {Table} (
                invitation_id uuid primary key,
                tenant_id text not null,
                due_at timestamptz not null,
                claimed_until timestamptz null) with (fillfactor = 70);
            {Storage.EventStoreSetup.FillFactorDdl(Table, 70)}
            create index if not exists invitation_due_at on {Table} (due_at);
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>SQL to queue in the same Marten transaction that records the invitation as scheduled.</summary>
    public string UpsertSql => $"insert into {Table} (invitation_id, tenant_id, due_at) values (?, ?, ?) on conflict (invitation_id) do update set due_at = excluded.due_at, claimed_until = null";

    public async Task<IReadOnlyList<DueInvitation>> Claim(int batch, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            update {Table} d set claimed_until = @until
            where d.invitation_id in (
                select invitation_id from {Table}
                where due_at <= @now and (claimed_until is null or claimed_until < @now)
                order by due_at limit @batch
                for update skip locked)
            returning d.tenant_id, d.invitation_id, d.due_at
            """);
        command.Parameters.AddWithValue("until", now + lease);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("batch", batch);
        var claimed = new List<DueInvitation>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add(new DueInvitation(reader.GetString(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return claimed;
    }

    public async Task Reschedule(Guid invitationId, DateTimeOffset dueAt, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"update {Table} set due_at = @due, claimed_until = null where invitation_id = @id");
        command.Parameters.AddWithValue("due", dueAt.ToUniversalTime());
        command.Parameters.AddWithValue("id", invitationId);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task Done(Guid invitationId, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"delete from {Table} where invitation_id = @id");
        command.Parameters.AddWithValue("id", invitationId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Removes the rows of these invitations in one statement.</summary>
    public async Task Done(IReadOnlyCollection<Guid> invitationIds, CancellationToken ct)
    {
        if (invitationIds.Count == 0) return;
        await using var command = database.CreateCommand($"delete from {Table} where invitation_id = any(@ids)");
        command.Parameters.AddWithValue("ids", invitationIds.ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>SQL to queue in a Marten transaction: these rows leave the table (a uuid[] parameter).</summary>
    public string DoneManySql => $"delete from {Table} where invitation_id = any(?)";

    /// <summary>SQL to queue in a Marten transaction: these rows are due again at these times and unclaimed (uuid[] and timestamptz[] parameters).</summary>
    public string RescheduleManySql => $"""
        update {Table} d set due_at = u.due_at, claimed_until = null
        from unnest(?::uuid[], ?::timestamptz[]) as u(invitation_id, due_at) where d.invitation_id = u.invitation_id
        """;

    public async Task<long> Waiting(CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select count(*) from {Table}");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>The due-table changes of a batch, queued into the transaction that records why (two statements at most).</summary>
public sealed class DueChanges
{
    private readonly List<Guid> _done = [];
    private readonly Dictionary<Guid, DateTimeOffset> _rescheduled = [];

    public void Done(Guid invitationId) => _done.Add(invitationId);

    public void Reschedule(Guid invitationId, DateTimeOffset dueAt) => _rescheduled[invitationId] = dueAt.ToUniversalTime();

    public void Queue(Marten.IDocumentSession session, DueInvitations due)
    {
        if (_done.Count > 0) session.QueueSqlCommand(due.DoneManySql, _done.ToArray());
        if (_rescheduled.Count > 0) session.QueueSqlCommand(due.RescheduleManySql, _rescheduled.Keys.ToArray(), _rescheduled.Values.ToArray());
    }
}
