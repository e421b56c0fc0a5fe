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

    /// <summary>Several dealers' figures at once (a dealer missing: no case data for it). By default one <see cref="ForDealer"/> call per dealer.</summary>
    async Task<IReadOnlyDictionary<string, DealerCaseFigures>?> ForDealers(string tenantId, IReadOnlyCollection<string> dealerCodes, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var figures = new Dictionary<string, DealerCaseFigures>();
        foreach (var code in dealerCodes.Distinct())
            if (await ForDealer(tenantId, code, from, until, ct) is { } f) figures[code] = f;
        return figures;
    }
}

/// <summary>
/// The cases feature's KPIs (<see cref="Cases.Kpis.CaseKpis"/>, in SQL): open and overdue at the end of the period, the share of the
/// period's cases that met both SLAs (first contact and resolution; the lower of the two when both are known), median time to first contact.
/// </summary>
public sealed class CaseKpiSource(Marten.IDocumentStore store) : IScorecardCaseSource
{
    public async Task<DealerCaseFigures?> ForDealer(string tenantId, string dealerCode, DateTimeOffset from, DateTimeOffset until, CancellationToken ct) =>
        (await ForDealers(tenantId, [dealerCode], from, until, ct))?.GetValueOrDefault(dealerCode);

    /// <summary>Every dealer's figures with one query.</summary>
    public async Task<IReadOnlyDictionary<string, DealerCaseFigures>?> ForDealers(string tenantId, IReadOnlyCollection<string> dealerCodes, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenantId);
        return (await Cases.Kpis.CaseKpis.ForDealersAsync(session, dealerCodes, from, until, ct)).ToDictionary(k => k.DealerCode, Figures);
    }

    private static DealerCaseFigures Figures(Cases.Kpis.DealerCaseKpis kpis)
    {
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
