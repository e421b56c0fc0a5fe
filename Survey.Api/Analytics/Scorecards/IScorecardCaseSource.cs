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

public sealed class NoCaseData : IScorecardCaseSource
{
    public Task<DealerCaseFigures?> ForDealer(string tenantId, string dealerCode, DateTimeOffset from, DateTimeOffset until, CancellationToken ct) =>
        Task.FromResult<DealerCaseFigures?>(null);
}
