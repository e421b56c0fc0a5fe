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

    /// <summary>
    /// For the aggregate statements, reset when the pooled connection goes back (DISCARD ALL). JIT compilation off: PostgreSQL judged
    /// these statements costly enough to compile, which took ~300 ms per statement on the full bench seed and saved less. Random reads
    /// priced near sequential ones: the period scans are answered from the covering completion-time index, and rows of pages changed
    /// since the last vacuum are fetched from the table one by one; at the default price (4) a fifth of such pages turned a six-month
    /// scan into a sequential read of the whole table (the fact table's pages are in memory, where random reads are not 4x dearer).
    /// </summary>
    private const string SessionSettings = "select set_config('work_mem', '64MB', false), set_config('jit', 'off', false), set_config('random_page_cost', '1.1', false)";

    /// <summary>The dealer documents (for regions) joined only when the filter or the grouping reads a region.</summary>
    private string DealerJoin(Filter filter, string group, string tenant, string dealer) =>
        (filter.Sql.ToString() + group).Contains("d.data", StringComparison.Ordinal) ? $" left join {Dealers} d on d.tenant_id = {tenant} and d.id = {dealer}" : "";

    /// <summary>Every figure of a slice for one period, per group: score distributions of completed responses, completion and response rates.</summary>
    public async Task<Dictionary<string, SliceData>> Load(AnalyticsScope scope, Slice slice, DateTimeOffset from, DateTimeOffset until, GroupBy group, CancellationToken ct, bool rates = true) =>
        (await Load(scope, slice, [(from, until)], group, rates ? 0 : null, ct))[0];

    /// <summary>
    /// The answers of several periods at once, per group and period (counts per score point), and the rates of one of them
    /// (<paramref name="ratesFor"/>, an index into <paramref name="periods"/>): three statements in one round trip. Keyed questions of the
    /// other periods are limited to <paramref name="otherKeys"/> when given (a trend needs only its index's components).
    /// </summary>
    public async Task<IReadOnlyList<Dictionary<string, SliceData>>> Load(AnalyticsScope scope, Slice slice, IReadOnlyList<(DateTimeOffset From, DateTimeOffset Until)> periods,
        GroupBy group, int? ratesFor, CancellationToken ct, IReadOnlyCollection<string>? otherKeys = null)
    {
        var result = periods.Select(_ => new Dictionary<string, SliceData>()).ToList();
        SliceData Of(int period, string g) => result[period].TryGetValue(g, out var d) ? d : result[period][g] = new SliceData();
        if (periods.Count == 0) return result;

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        // the grouping below hashes tens of thousands of groups on a large tenant; the default 4 MB spills them to disk. The pool resets
        // the setting when the connection goes back (DISCARD ALL).
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SessionSettings));
        var facts = Where(scope, slice, FactColumns);
        var g = GroupColumn(group, FactColumns);
        // each fact's period by binary search over the periods' bounds (width_bucket), mapped to the period's index; a join on the
        // periods compared every fact with every period
        var bounds = periods.SelectMany(p => new[] { p.From.UtcDateTime, p.Until.UtcDateTime }).Distinct().Order().ToArray();
        var map = new int?[bounds.Length - 1];
        for (var i = 0; i < periods.Count; i++)
        {
            var at = Array.IndexOf(bounds, periods[i].From.UtcDateTime);
            if (at + 1 >= bounds.Length || bounds[at + 1] != periods[i].Until.UtcDateTime || map[at] is not null)
                throw new ArgumentException("Periods loaded together must not overlap.", nameof(periods));
            map[at] = i;
        }
        // the projection writes score_points on every fact; facts projected before the column existed have none until the ResponseFact
        // projection is rebuilt (their keyed questions count as unanswered meanwhile). No fallback to the JSON: the scan reads no document
        const string allPoints = "score_points";
        string Only(string points) => $"array(select x from unnest({points}) x where x like any({facts.Param(otherKeys!.Select(Attribution.ScorePoint.LikePattern).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)}))";
        var pointsColumn = (otherKeys, ratesFor) switch
        {
            (null, _) => allPoints,
            ({ Count: 0 }, { } rk) => $"case when k = {facts.Param(rk)} then {allPoints} end",
            (_, { } rk) => $"case when k = {facts.Param(rk)} then {allPoints} else {Only(allPoints)} end",
            ({ Count: 0 }, null) => null, // no keyed question wanted at all (a league of an index without attribute components)
            _ => Only(allPoints),
        };
        var answersSql = $"""
            with f as materialized (
              select k, g, nps, csat, ces{(pointsColumn is null ? "" : $", {pointsColumn} as points")} from (
                select ({facts.Param(map, NpgsqlDbType.Array | NpgsqlDbType.Integer)}::int[])[width_bucket(f.completed_at, {facts.Param(bounds, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)})] as k,
                  {g} as g, f.nps, f.csat, f.ces, f.score_points
                from {Facts} f{DealerJoin(facts, g, "f.tenant_id", "f.dealer_code")}
                where f.tenant_id = {facts.Param(scope.TenantId)} and f.status = 'completed'
                  and f.completed_at >= {facts.Param(bounds[0], NpgsqlDbType.TimestampTz)} and f.completed_at < {facts.Param(bounds[^1], NpgsqlDbType.TimestampTz)}{facts.Sql}) x
              where k is not null)
            select k, g, 'n' as q, 0 as v, count(*)::int as n, null as point from f group by k, g
            union all select k, g, 'nps', nps, count(*)::int, null from f where nps is not null group by k, g, nps
            union all select k, g, 'csat', csat, count(*)::int, null from f where csat is not null group by k, g, csat
            union all select k, g, 'ces', ces, count(*)::int, null from f where ces is not null group by k, g, ces
            {(pointsColumn is null ? "" : "union all select k, g, 'k', 0, count(*)::int, sp from f, unnest(f.points) sp group by k, g, sp")}
            """;
        batch.BatchCommands.Add(Command(answersSql, facts));
        if (ratesFor is { } r)
        {
            var (from, until) = periods[r];
            batch.BatchCommands.Add(StartedCommand(scope, slice, from, until, group));
            batch.BatchCommands.Add(InvitationsCommand(scope, slice, from, until, group));
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct); // past set_config
        var fixedScales = new Dictionary<(int, string, string), int[]>();
        var keyed = new Dictionary<(int K, string G, string Key), (string Type, int Min, int Max, Dictionary<int, int> Counts)>();
        while (await reader.ReadAsync(ct))
        {
            var (k, key, question, value, n) = (reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4));
            switch (question)
            {
                case "n": Of(k, key).Responses = n; break;
                case "k":
                    if (Attribution.ScorePoint.Parse(reader.GetString(5)) is not { } parsed) break;
                    var (name, score) = parsed;
                    var cell = keyed.TryGetValue((k, key, name), out var had) ? had : (Type: score.Type, Min: score.Min, Max: score.Max, Counts: new Dictionary<int, int>());
                    cell.Counts[score.Value] = cell.Counts.GetValueOrDefault(score.Value) + n;
                    keyed[(k, key, name)] = (cell.Type, Math.Min(cell.Min, score.Min), Math.Max(cell.Max, score.Max), cell.Counts);
                    break;
                default:
                    var scale = question switch { "nps" => RatingScale.Nps, "csat" => RatingScale.Csat, _ => RatingScale.Ces };
                    var points = fixedScales.TryGetValue((k, key, question), out var p) ? p : fixedScales[(k, key, question)] = new int[scale.Points];
                    if (value >= scale.Min && value <= scale.Max) points[value - scale.Min] += n;
                    break;
            }
        }
        foreach (var ((k, key, question), points) in fixedScales)
        {
            var data = Of(k, key);
            switch (question)
            {
                case "nps": data.Nps = ScoreDistribution.FromCounts(RatingScale.Nps, points); break;
                case "csat": data.Csat = ScoreDistribution.FromCounts(RatingScale.Csat, points); break;
                default: data.Ces = ScoreDistribution.FromCounts(RatingScale.Ces, points); break;
            }
        }
        foreach (var ((k, key, name), (type, min, max, counts)) in keyed)
        {
            var scale = new RatingScale(min, max);
            Of(k, key).Keys[name] = new KeyedDistribution(type, ScoreDistribution.FromCounts(scale, Enumerable.Range(min, scale.Points).Select(v => counts.GetValueOrDefault(v)).ToArray()));
        }
        if (ratesFor is not { } rated) return result;

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var data = Of(rated, reader.GetString(0));
            (data.Started, data.StartedCompleted) = (reader.GetInt32(1), reader.GetInt32(2));
        }
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var data = Of(rated, reader.GetString(0));
            (data.Delivered, data.DeliveredAnswered) = (reader.GetInt32(1), reader.GetInt32(2));
        }
        return result;
    }

    private static NpgsqlBatchCommand Command(string sql, Filter filter)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(filter.Parameters.ToArray());
        return command;
    }

    /// <summary>Completion rate: responses started in the period, and how many of them were completed.</summary>
    private NpgsqlBatchCommand StartedCommand(AnalyticsScope scope, Slice slice, DateTimeOffset from, DateTimeOffset until, GroupBy group)
    {
        var started = Where(scope, slice, FactColumns);
        var g = GroupColumn(group, FactColumns);
        var sql = $"""
            select {g}, count(*)::int, count(*) filter (where f.status = 'completed')::int
            from {Facts} f{DealerJoin(started, g, "f.tenant_id", "f.dealer_code")}
            where f.tenant_id = {started.Param(scope.TenantId)} and f.started_at >= {started.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz)}
              and f.started_at < {started.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz)}{started.Sql}
            group by 1
            """;
        return Command(sql, started);
    }

    /// <summary>
    /// Response rate: invitations that went out in the period (by due time) and reached the customer — a delivery receipt, a send on a
    /// channel without receipts that did not fail later, or an answer (an answered invitation was evidently delivered).
    /// </summary>
    private NpgsqlBatchCommand InvitationsCommand(AnalyticsScope scope, Slice slice, DateTimeOffset from, DateTimeOffset until, GroupBy group)
    {
        var invitations = Where(scope, slice, InvitationColumns);
        var g = GroupColumn(group, InvitationColumns);
        // the operational event only when a touchpoint or an attribute is asked for
        var events = invitations.Sql.ToString().Contains("e.data", StringComparison.Ordinal)
            ? $" left join {OperationalEvents} e on e.tenant_id = i.tenant_id and e.id = i.data->>'eventExternalId'" : "";
        var lo = invitations.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        var hi = invitations.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        var sql = $"""
            with i as materialized (
              select {g} as g,
                (i.data->>'respondedBy') is not null as answered,
                ((i.data->>'respondedBy') is not null or i.data->'timeline' @> '[{"{"}"what":"delivered"{"}"}]'
                  or (i.data->'timeline' @> '[{"{"}"what":"sent"{"}"}]' and i.data->>'status' <> 'Failed')) as delivered
              from {Invitations} i{events}{DealerJoin(invitations, g, "i.tenant_id", "i.data->>'dealerCode'")}
              where i.tenant_id = {invitations.Param(scope.TenantId)} and i.data->>'status' <> 'Suppressed'
                and {Schema}.mt_immutable_timestamptz(i.data->>'dueAt') >= {lo} and {Schema}.mt_immutable_timestamptz(i.data->>'dueAt') < {hi}{invitations.Sql})
            select g, count(*) filter (where delivered)::int, count(*) filter (where delivered and answered)::int from i group by g
            """;
        return Command(sql, invitations);
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
        // one dealer (its scorecard): through the dealer index. A list (a region's or a tenant's scorecards): the period's facts from the
        // covering index, the dealers picked after the window (offset 0 keeps PostgreSQL from pushing the dealer list into the scan,
        // where it chose a bitmap of the dealer index over the whole table: 2 s instead of 0.4 s on the full bench seed)
        var few = dealers.Length == 1;
        var dealerFilter = $"dealer_code = any({f.Param(dealers, NpgsqlDbType.Array | NpgsqlDbType.Text)})";
        var sql = $"""
            select dealer_code, id, nps, completed_at from (
              select f.dealer_code, f.id, f.nps, f.completed_at,
                row_number() over (partition by f.dealer_code order by f.nps asc nulls last, f.completed_at desc) as n
              from {Facts} f{DealerJoin(f, "", "f.tenant_id", "f.dealer_code")}
              where f.tenant_id = {f.Param(scope.TenantId)} and f.status = 'completed' and f.has_verbatim{(few ? " and f." + dealerFilter : "")}
                and f.completed_at >= {f.Param(from.ToUniversalTime(), NpgsqlDbType.TimestampTz)} and f.completed_at < {f.Param(until.ToUniversalTime(), NpgsqlDbType.TimestampTz)}{f.Sql}
              {(few ? "" : "offset 0")}) x
            where n <= {f.Param(perDealer)}{(few ? "" : " and " + dealerFilter)} order by dealer_code, n
            """;
        // after the same session settings as the aggregates
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SessionSettings));
        batch.BatchCommands.Add(Command(sql, f));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct); // past set_config
        var rows = new List<(string, Guid, int?, DateTimeOffset)>();
        while (await reader.ReadAsync(ct))
            rows.Add((reader.GetString(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return rows;
    }
}
