using Marten;

namespace Survey.Api.Cases.Kpis;

/// <summary>
/// One dealer's cases opened in [from, to), as they stood at <c>to</c>:
/// <see cref="Opened"/> cases; <see cref="Open"/> not resolved by then; <see cref="Overdue"/> open and past a due time then (first
/// contact not made by its due time, or resolution due passed); <see cref="FirstContactSlaMetPercent"/> of the cases whose
/// first-contact SLA was decided by then (contacted, or due passed), the share contacted by the due time;
/// <see cref="ResolutionSlaMetPercent"/> the same for resolution (current round); <see cref="MedianHoursToFirstContact"/> over the
/// cases contacted by then. Percentages and the median are null when there is nothing to measure.
/// </summary>
public sealed record DealerCaseKpis(
    string DealerCode, int Opened, int Open, int Overdue, double? FirstContactSlaMetPercent, double? ResolutionSlaMetPercent, double? MedianHoursToFirstContact);

public static class CaseKpis
{
    /// <summary>KPIs per dealer code (every requested dealer gets a row, zeros when it had no cases), computed in PostgreSQL.</summary>
    public static async Task<IReadOnlyList<DealerCaseKpis>> ForDealersAsync(IQuerySession session, IReadOnlyCollection<string> dealers, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (dealers.Count == 0) return [];
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.mt_doc_case";
        // Marten reads user SQL that starts with "select"; the parameters come once each, in a row of their own
        var sql = $"""
            select q.kpis from (
              with p as (select ?::text as tenant, ?::text[] as codes, ?::timestamptz as f, ?::timestamptz as t),
              c as (
                select d.data ->> 'dealerCode' as dealer,
                       (d.data ->> 'openedAt')::timestamptz as opened_at,
                       (d.data ->> 'firstContactAt')::timestamptz as contacted_at,
                       (d.data ->> 'firstContactDueAt')::timestamptz as contact_due,
                       (d.data ->> 'resolvedAt')::timestamptz as resolved_at,
                       (d.data ->> 'resolutionDueAt')::timestamptz as resolution_due
                from {table} d, p
                where d.tenant_id = p.tenant and d.data ->> 'dealerCode' = any(p.codes)
                  and (d.data ->> 'openedAt')::timestamptz >= p.f and (d.data ->> 'openedAt')::timestamptz < p.t),
              s as (
                select c.*, c.contacted_at is not null and c.contacted_at <= p.t as contacted, c.resolved_at is not null and c.resolved_at <= p.t as resolved, p.t
                from c, p)
              select x.code, json_build_object(
                'dealerCode', x.code,
                'opened', count(s.dealer),
                'open', count(s.dealer) filter (where not s.resolved),
                'overdue', count(s.dealer) filter (where not s.resolved and ((not s.contacted and s.contact_due <= s.t) or s.resolution_due <= s.t)),
                'firstContactSlaMetPercent', 100.0 * count(s.dealer) filter (where s.contacted and s.contacted_at <= s.contact_due)
                    / nullif(count(s.dealer) filter (where s.contacted or s.contact_due <= s.t), 0),
                'resolutionSlaMetPercent', 100.0 * count(s.dealer) filter (where s.resolved and s.resolved_at <= s.resolution_due)
                    / nullif(count(s.dealer) filter (where s.resolved or s.resolution_due <= s.t), 0),
                'medianHoursToFirstContact', percentile_cont(0.5) within group (order by extract(epoch from s.contacted_at - s.opened_at) / 3600.0) filter (where s.contacted)
              ) as kpis
              from p cross join unnest(p.codes) as x(code) left join s on s.dealer = x.code
              group by x.code) q
            order by q.code
            """;
        var codes = dealers.Distinct().ToArray();
        var rows = await session.QueryAsync<DealerCaseKpis>(sql, ct, session.TenantId, codes, from.ToUniversalTime(), to.ToUniversalTime());
        return rows.ToList();
    }
}
