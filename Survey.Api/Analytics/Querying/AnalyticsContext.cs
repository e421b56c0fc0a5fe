using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Analytics.Scoping;
using Survey.Api.Analytics.Settings;
using Survey.Api.Operations;
using Survey.Domain.Analytics.Periods;

namespace Survey.Api.Analytics.Querying;

public sealed record DealerInfo(string Code, Domain.Operations.LocalizedName Name, string RegionCode);

/// <summary>What every analytics request needs: the caller's scope (from the one resolver), the tenant's settings and calendar, the dealers.</summary>
public sealed class AnalyticsContext(IQuerySession session, IAnalyticsScopeResolver scopes, IOptions<Triggers.TriggerOptions> triggers, TimeProvider time, AnalyticsSql sql)
{
    public AnalyticsScope Scope { get; } = scopes.Resolve();
    public AnalyticsSql Sql => sql;
    public IQuerySession Session => session;
    public DateTimeOffset Now => time.GetUtcNow();

    private AnalyticsSettings? _settings;
    public async Task<AnalyticsSettings> Settings(CancellationToken ct) => _settings ??= await AnalyticsSettings.Load(session, triggers.Value.TenantTimeZone, ct);

    public async Task<(Period Period, PeriodCalendar Calendar)> Period(HttpRequest request, CancellationToken ct)
    {
        var calendar = (await Settings(ct)).Calendar;
        return (PeriodQuery.Read(request, calendar, Now), calendar);
    }

    /// <summary>Every dealer of the tenant with its current region (a few thousand at most; read once per request).</summary>
    public async Task<Dictionary<string, DealerInfo>> Dealers(CancellationToken ct) =>
        (await session.Query<DealerRecord>().ToListAsync(ct)).ToDictionary(d => d.Id, d => new DealerInfo(d.Id, d.Dealer.Name, d.Dealer.RegionCode));

    /// <summary>A dealer the caller may see, or 404 (also for another dealer than a dealer-scoped caller's own).</summary>
    public async Task<DealerInfo> VisibleDealer(string code, CancellationToken ct)
    {
        var dealer = await session.LoadAsync<DealerRecord>(code, ct) ?? throw new Domain.Common.NotFoundException($"Dealer '{code}' was not found.");
        Scope.EnsureSees(code, dealer.Dealer.RegionCode);
        return new DealerInfo(dealer.Id, dealer.Dealer.Name, dealer.Dealer.RegionCode);
    }
}
