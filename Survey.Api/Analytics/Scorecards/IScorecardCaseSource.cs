namespace Survey.Api.Analytics.Scorecards;

/// <summary>A dealer's closed-loop figures for a period: cases open and overdue now, SLA met among cases due in the period, median time to first contact.</summary>
public sealed record DealerCaseFigures(int Open, int Overdue, double? SlaMetPercent, TimeSpan? MedianTimeToFirstContact);

/// <summary>
/// Where the scorecard's cases section comes from. The cases feature provides the real implementation; until it is registered the
/// default answers null and the scorecard says "no case data".
/// </summary>
public interface IScorecardCaseSource
{
    Task<DealerCaseFigures?> ForDealer(string tenantId, string dealerCode, DateTimeOffset from, DateTimeOffset until, CancellationToken ct);
}

/// <summary>
/// The cases feature's KPIs (<see cref="Cases.Kpis.CaseKpis"/>, in SQL): open and overdue at the end of the period, the share of the
/// period's cases that met both SLAs (first contact and resolution; the lower of the two when both are known), median time to first contact.
/// </summary>
public sealed class CaseKpiSource(Marten.IDocumentStore store) : IScorecardCaseSource
{
    public async Task<DealerCaseFigures?> ForDealer(string tenantId, string dealerCode, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        var kpis = (await Cases.Kpis.CaseKpis.ForDealersAsync(session, [dealerCode], from, until, ct)).Single();
        double? sla = (kpis.FirstContactSlaMetPercent, kpis.ResolutionSlaMetPercent) switch
        {
            ({ } first, { } resolution) => Math.Min(first, resolution),
            ({ } first, null) => first,
            (null, { } resolution) => resolution,
            _ => null,
        };
        return new DealerCaseFigures(kpis.Open, kpis.Overdue, sla, kpis.MedianHoursToFirstContact is { } hours ? TimeSpan.FromHours(hours) : null);
    }
}
