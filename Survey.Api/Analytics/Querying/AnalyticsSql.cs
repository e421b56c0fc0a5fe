using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Survey.Api.Analytics.Scoping;
using Survey.Domain.Analytics.Metrics;

namespace Survey.Api.Analytics.Querying;

public enum GroupBy { None, Dealer, Region }

/// <summary>
/// Aggregation pushed into PostgreSQL: counts per score point over the projected <c>ResponseFact</c> table (and the invitation
/// documents for response rates), never the responses themselves. Every query takes the caller's <see cref="AnalyticsScope"/>.
/// Regions are joined from the dealer documents at query time.
/// </summary>
public sealed class AnalyticsSql(NpgsqlDataSource database, IOptions<Storage.StorageOptions> storage)
{
    private string Schema => storage.Value.Schema;
    private string Facts => $"{Schema}.mt_doc_responsefact";
    private string Dealers => $"{Schema}.mt_doc_dealerrecord";
    private string Invitations => $"{Schema}.mt_doc_invitation";
    private string OperationalEvents => $"{Schema}.mt_doc_operationaleventrecord";

    /// <summary>How the fact table and the invitation documents name the same slice fields.</summary>
    private sealed record Columns(string Dealer, string Touchpoint, string Trigger, string Channel, string Questionnaire, Func<string, string> Attribute)
    {
        public const string Region = "d.data->'dealer'->>'regionCode'";
    }

    private static readonly Columns FactColumns = new("f.dealer_code", "f.touchpoint", "f.trigger_id::text", "f.channel", "f.questionnaire_id::text",
        p => $"f.data->'eventAttributes'->>{p}");
    private static readonly Columns InvitationColumns = new("i.data->>'dealerCode'", "e.data->'event'->>'type'", "i.data->>'triggerId'", "i.data->>'sentChannel'",
        "i.data->>'questionnaireId'", p => $"e.data->'event'->'attributes'->>{p}");

    private static string GroupColumn(GroupBy group, Columns c) => group switch
    {
        GroupBy.Dealer => $"coalesce({c.Dealer}, '')",
        GroupBy.Region => $"coalesce({Columns.Region}, '')",
        _ => "''",
    };

    private sealed class Filter
    {
        public readonly StringBuilder Sql = new();
        public readonly List<NpgsqlParameter> Parameters = [];

        public string Param(object value, NpgsqlDbType? type = null)
        {
            var name = $"p{Parameters.Count}";
            Parameters.Add(type is { } t ? new NpgsqlParameter(name, t) { Value = value } : new NpgsqlParameter(name, value));
            return "@" + name;
        }

        public void And(string condition) => Sql.Append(" and ").Append(condition);
    }

    private static Filter Where(AnalyticsScope scope, Slice slice, Columns c)
    {
        var f = new Filter();
        switch (scope.Kind)
        {
            case ScopeKind.Regions: f.And($"{Columns.Region} = any({f.Param(scope.Regions.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)})"); break;
            case ScopeKind.Dealer: f.And($"{c.Dealer} = {f.Param(scope.Dealer!)}"); break;
        }
        if (slice.Region is { } region) f.And($"{Columns.Region} = {f.Param(region)}");
        if (slice.Dealer is { } dealer) f.And($"{c.Dealer} = {f.Param(dealer)}");
        if (slice.Touchpoint is { } touchpoint) f.And($"{c.Touchpoint} = {f.Param(touchpoint)}");
        if (slice.Trigger is { } trigger) f.And($"{c.Trigger} = {f.Param(trigger.ToString())}");
        if (slice.Channel is { } channel) f.And($"{c.Channel} = {f.Param(channel)}");
        if (slice.Questionnaire is { } questionnaire) f.And($"{c.Questionnaire} = {f.Param(questionnaire.ToString())}");
        foreach (var (name, value) in slice.Attributes ?? new Dictionary<string, string>())
            f.And($"{c.Attribute(f.Param(name))} = {f.Param(value)}");
        return f;
    }

    /// <summary>Every figure of a slice for one period, per group: score distributions of completed responses, completion and response rates.</summary>
    public async Task<Dictionary<string, SliceData>> Load(AnalyticsScope scope, Slice slice, DateTimeOffset from, DateTimeOffset until, GroupBy group, CancellationToken ct, bool rates = true)
    {
        var result = new Dictionary<string, SliceData>();
        SliceData Of(string g) => result.TryGetValue(g, out var d) ? d : result[g] = new SliceData();
        var counts = new Dictionary<(string Group, string Question), (int Min, int Max, string Type, Dictionary<int, int> Points)>();

        await using var connection = await database.OpenConnectionAsync(ct);
        var facts = Where(scope, slice, FactColumns);
        var tenant = facts.Param(scope.TenantId);
        var lo = facts.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        var hi = facts.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        var g = GroupColumn(group, FactColumns);
        var sql = $"""
            with f as materialized (
              select {g} as g, f.nps, f.csat, f.ces, f.data->'scores' as scores
              from {Facts} f left join {Dealers} d on d.tenant_id = f.tenant_id and d.id = f.dealer_code
              where f.tenant_id = {tenant} and f.status = 'completed' and f.completed_at >= {lo} and f.completed_at < {hi}{facts.Sql})
            select g, 'n' as q, 0 as lo, 0 as hi, '' as t, 0 as v, count(*)::int as n from f group by g
            union all select g, 'nps', 0, 10, 'nps', nps, count(*)::int from f where nps is not null group by g, nps
            union all select g, 'csat', 1, 5, 'csat', csat, count(*)::int from f where csat is not null group by g, csat
            union all select g, 'ces', 1, 7, 'ces', ces, count(*)::int from f where ces is not null group by g, ces
            union all select g, 'k:' || s.key, min((s.value->>'min')::int), max((s.value->>'max')::int), min(s.value->>'type'), (s.value->>'value')::int, count(*)::int
              from f, jsonb_each(f.scores) s group by g, s.key, (s.value->>'value')::int
            """;
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            command.Parameters.AddRange(facts.Parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (key, question, n) = (reader.GetString(0), reader.GetString(1), reader.GetInt32(6));
                if (question == "n") { Of(key).Responses = n; continue; }
                var cell = counts.TryGetValue((key, question), out var c) ? c : counts[(key, question)] = (reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4), []);
                cell.Points[reader.GetInt32(5)] = n;
            }
        }
        foreach (var ((key, question), (min, max, type, points)) in counts)
        {
            var scale = new RatingScale(min, max);
            var distribution = ScoreDistribution.FromCounts(scale, Enumerable.Range(min, scale.Points).Select(p => points.GetValueOrDefault(p)).ToArray());
            var data = Of(key);
            switch (question)
            {
                case "nps": data.Nps = distribution; break;
                case "csat": data.Csat = distribution; break;
                case "ces": data.Ces = distribution; break;
                default: data.Keys[question[2..]] = new KeyedDistribution(type, distribution); break;
            }
        }

        if (!rates) return result;
        var started = Where(scope, slice, FactColumns);
        var startedSql = $"""
            select {g}, count(*)::int, count(*) filter (where f.status = 'completed')::int
            from {Facts} f left join {Dealers} d on d.tenant_id = f.tenant_id and d.id = f.dealer_code
            where f.tenant_id = {started.Param(scope.TenantId)} and f.started_at >= {started.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz)}
              and f.started_at < {started.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz)}{started.Sql}
            group by 1
            """;
        await using (var command = new NpgsqlCommand(startedSql, connection))
        {
            command.Parameters.AddRange(started.Parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var data = Of(reader.GetString(0));
                (data.Started, data.StartedCompleted) = (reader.GetInt32(1), reader.GetInt32(2));
            }
        }

        // Response rate: invitations that went out in the period (by due time) and reached the customer — a delivery receipt, a send
        // on a channel without receipts that did not fail later, or an answer (an answered invitation was evidently delivered).
        var invitations = Where(scope, slice, InvitationColumns);
        var gi = GroupColumn(group, InvitationColumns);
        var invitationSql = $"""
            with i as materialized (
              select {gi} as g,
                (i.data->>'respondedBy') is not null as answered,
                ((i.data->>'respondedBy') is not null or i.data->'timeline' @> '[{"{"}"what":"delivered"{"}"}]'
                  or (i.data->'timeline' @> '[{"{"}"what":"sent"{"}"}]' and i.data->>'status' <> 'Failed')) as delivered
              from {Invitations} i
                left join {OperationalEvents} e on e.tenant_id = i.tenant_id and e.id = i.data->>'eventExternalId'
                left join {Dealers} d on d.tenant_id = i.tenant_id and d.id = i.data->>'dealerCode'
              where i.tenant_id = {invitations.Param(scope.TenantId)} and i.data->>'status' <> 'Suppressed'
                and (i.data->>'dueAt')::timestamptz >= {invitations.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz)}
                and (i.data->>'dueAt')::timestamptz < {invitations.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz)}{invitations.Sql})
            select g, count(*) filter (where delivered)::int, count(*) filter (where delivered and answered)::int from i group by g
            """;
        await using (var command = new NpgsqlCommand(invitationSql, connection))
        {
            command.Parameters.AddRange(invitations.Parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var data = Of(reader.GetString(0));
                (data.Delivered, data.DeliveredAnswered) = (reader.GetInt32(1), reader.GetInt32(2));
            }
        }
        return result;
    }

    /// <summary>A slice's completed responses as (NPS, attribute scores) pairs, for driver analysis; numbers only, at most <paramref name="limit"/>, newest first.</summary>
    public async Task<List<(int Nps, Dictionary<string, int> Scores)>> Respondents(AnalyticsScope scope, Slice slice, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var f = Where(scope, slice, FactColumns);
        var sql = $"""
            select f.nps, coalesce((select jsonb_object_agg(s.key, (s.value->>'value')::int) from jsonb_each(f.data->'scores') s where s.value->>'type' = 'rating'), '{"{"}{"}"}'::jsonb)::text
            from {Facts} f left join {Dealers} d on d.tenant_id = f.tenant_id and d.id = f.dealer_code
            where f.tenant_id = {f.Param(scope.TenantId)} and f.status = 'completed' and f.nps is not null
              and f.completed_at >= {f.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz)} and f.completed_at < {f.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz)}{f.Sql}
            order by f.completed_at desc limit {f.Param(limit)}
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(f.Parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(int, Dictionary<string, int>)>();
        while (await reader.ReadAsync(ct))
            rows.Add((reader.GetInt32(0), System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(1))!));
        return rows;
    }

    /// <summary>Per dealer, its newest completed responses of the period, lowest NPS first (detractors' words first), as ids to read verbatims from.</summary>
    public async Task<List<(string Dealer, Guid Id, int? Nps, DateTimeOffset CompletedAt)>> LatestResponses(AnalyticsScope scope, string[] dealers, DateTimeOffset from, DateTimeOffset until, int perDealer, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var f = Where(scope, new Slice(), FactColumns);
        var sql = $"""
            select dealer_code, id, nps, completed_at from (
              select f.dealer_code, f.id, f.nps, f.completed_at,
                row_number() over (partition by f.dealer_code order by f.nps asc nulls last, f.completed_at desc) as n
              from {Facts} f left join {Dealers} d on d.tenant_id = f.tenant_id and d.id = f.dealer_code
              where f.tenant_id = {f.Param(scope.TenantId)} and f.status = 'completed' and (f.data->>'hasVerbatim')::boolean and f.dealer_code = any({f.Param(dealers, NpgsqlDbType.Array | NpgsqlDbType.Text)})
                and f.completed_at >= {f.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz)} and f.completed_at < {f.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz)}{f.Sql}) x
            where n <= {f.Param(perDealer)} order by dealer_code, n
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(f.Parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(string, Guid, int?, DateTimeOffset)>();
        while (await reader.ReadAsync(ct))
            rows.Add((reader.GetString(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return rows;
    }
}
