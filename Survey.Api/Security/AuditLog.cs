using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using NpgsqlTypes;
using Survey.Api.Storage;

namespace Survey.Api.Security;

/// <summary>One thing a person did: who (user, role, tenant), what (action, method, route, target), when and the answer's status.</summary>
public sealed record AuditRecord(string Tenant, string User, string? Role, string Action, string Method, string Route, string Path, string? Target, int? Status);

/// <summary>One entry; <see cref="Status"/> is null when the call was recorded but no answer was (the process stopped in between).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string User, string? Role, string Action, string Method, string Route, string Path, string? Target, int? Status);

/// <summary>
/// The audit trail: an insert-only table (a trigger refuses UPDATE, DELETE and TRUNCATE), one entry per admin change,
/// export, erasure and sign-in, written by <see cref="AuditMiddleware"/> for every non-GET admin call. A call is written ahead:
/// one row before the endpoint runs (<see cref="Begin"/>, no status) and one outcome row pointing at it when the answer starts
/// (<see cref="Complete"/>), so a change can never commit without its entry; a process that dies in between leaves an entry whose
/// status is unknown (null).
/// </summary>
public sealed class AuditLog(NpgsqlDataSource database, IOptions<StorageOptions> storage, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte> _seenTokens = new();
    private string Table => $"{storage.Value.Schema}.audit_log";

    public async Task EnsureTable(CancellationToken ct)
    {
        var schema = storage.Value.Schema;
        await using var command = database.CreateCommand($"""
            create schema if not exists {schema};
            create table if not exists {Table} (
                id bigint generated always as identity primary key,
                at timestamptz not null,
                tenant_id text not null,
                user_id text not null,
                role text null,
                action text not null,
                method text not null,
                route text not null,
                path text not null,
                target text null,
                status int null,
                token_id text null,
                outcome_of bigint null);
            alter table {Table} add column if not exists outcome_of bigint null;
            alter table {Table} alter column status drop not null;
            create index if not exists audit_log_outcome on {Table} (outcome_of) where outcome_of is not null;
            create index if not exists audit_log_tenant_at on {Table} (tenant_id, id desc);
            create unique index if not exists audit_log_token on {Table} (token_id) where token_id is not null;
            create or replace function {schema}.audit_log_append_only() returns trigger language plpgsql as $$
            begin raise exception 'the audit log is append-only'; end $$;
            drop trigger if exists audit_log_append_only on {Table};
            create trigger audit_log_append_only before update or delete on {Table} for each row execute function {schema}.audit_log_append_only();
            drop trigger if exists audit_log_no_truncate on {Table};
            create trigger audit_log_no_truncate before truncate on {Table} for each statement execute function {schema}.audit_log_append_only();
            """);
        try { await command.ExecuteNonQueryAsync(ct); }
        catch (PostgresException e) when (e.SqlState is "23505" or "42710" or "XX000") { /* another node created it at the same moment */ }
    }

    /// <summary>A finished thing (a sign-in): one row with its status.</summary>
    public Task Record(AuditRecord entry, CancellationToken ct) => Insert(entry, null, null, ct);

    /// <summary>Writes the entry of a call about to run (its status unknown yet); the id for <see cref="Complete"/>.</summary>
    public async Task<long> Begin(AuditRecord entry, CancellationToken ct) => (await Insert(entry with { Status = null }, null, null, ct))!.Value;

    /// <summary>Writes the outcome of a call begun with <see cref="Begin"/>: its status, and the target when only the answer named it.</summary>
    public Task Complete(long attempt, AuditRecord outcome, CancellationToken ct) => Insert(outcome, null, attempt, ct);

    /// <summary>A token from the OpenID Connect authority seen for the first time is a sign-in (once per token, on any node).</summary>
    public async Task RecordSignIn(ClaimsPrincipal user, SecurityToken token, CancellationToken ct)
    {
        var id = token.Id is { Length: > 0 } jti ? $"{token.Issuer}|{jti}" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token.ToString() ?? "")));
        if (_seenTokens.ContainsKey(id)) return;
        if (user.FindFirstValue(Claims.Tenant) is not { Length: > 0 } tenant) return;
        await Insert(new AuditRecord(tenant, UserOf(user), RolesOf(user), "SignIn", "", "", "", null, 200), id, null, ct);
        if (_seenTokens.Count > 100_000) _seenTokens.Clear();
        _seenTokens.TryAdd(id, 0);
    }

    private async Task<long?> Insert(AuditRecord e, string? tokenId, long? outcomeOf, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            insert into {Table} (at, tenant_id, user_id, role, action, method, route, path, target, status, token_id, outcome_of)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict do nothing returning id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow().ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        foreach (var value in new object?[] { e.Tenant, e.User, e.Role, e.Action, e.Method, e.Route, e.Path, e.Target })
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tokenId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcomeOf ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await command.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    public sealed record Filter(string? User, string? Action, string? Target, DateTimeOffset? From, DateTimeOffset? To);

    /// <summary>One tenant's entries, newest first.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Items, long Total)> Query(string tenant, Filter filter, int page, int size, CancellationToken ct)
    {
        var where = new StringBuilder("a.outcome_of is null and a.tenant_id = @tenant");
        await using var command = database.CreateCommand();
        command.Parameters.AddWithValue("tenant", tenant);
        if (filter.User is { Length: > 0 }) { where.Append(" and a.user_id = @user"); command.Parameters.AddWithValue("user", filter.User); }
        if (filter.Action is { Length: > 0 }) { where.Append(" and a.action = @action"); command.Parameters.AddWithValue("action", filter.Action); }
        if (filter.Target is { Length: > 0 }) { where.Append(" and coalesce(a.target, o.target) = @target"); command.Parameters.AddWithValue("target", filter.Target); }
        if (filter.From is { } from) { where.Append(" and a.at >= @from"); command.Parameters.AddWithValue("from", from.ToUniversalTime()); }
        if (filter.To is { } to) { where.Append(" and a.at < @to"); command.Parameters.AddWithValue("to", to.ToUniversalTime()); }
        command.Parameters.AddWithValue("limit", size);
        command.Parameters.AddWithValue("offset", (long)(page - 1) * size);
        command.CommandText = $"""
            select a.id, a.at, a.user_id, a.role, a.action, a.method, a.route, a.path, coalesce(a.target, o.target), coalesce(o.status, a.status), count(*) over ()
            from {Table} a left join {Table} o on o.outcome_of = a.id and o.tenant_id = a.tenant_id
            where {where} order by a.id desc limit @limit offset @offset
            """;
        var items = new List<AuditEntry>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new AuditEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetInt32(9)));
            total = reader.GetInt64(10);
        }
        if (items.Count == 0 && page > 1)
        {
            await using var count = database.CreateCommand($"select count(*) from {Table} a left join {Table} o on o.outcome_of = a.id and o.tenant_id = a.tenant_id where {where}");
            foreach (NpgsqlParameter p in command.Parameters) if (p.ParameterName is not ("limit" or "offset")) count.Parameters.AddWithValue(p.ParameterName, p.Value!);
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        return (items, total);
    }

    public static string UserOf(ClaimsPrincipal user) =>
        user.FindFirstValue(Claims.Subject) ?? user.FindFirstValue(Claims.Name) ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";

    public static string? RolesOf(ClaimsPrincipal user) =>
        user.FindAll(Claims.Role).Select(c => c.Value).ToList() is { Count: > 0 } roles ? string.Join(",", roles) : null;

    /// <summary>Creates the table at start-up (idempotent).</summary>
    internal sealed class TableSetup(AuditLog log) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => log.EnsureTable(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
