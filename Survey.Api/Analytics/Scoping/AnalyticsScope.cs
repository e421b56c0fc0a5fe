using Survey.Domain.Common;

namespace Survey.Api.Analytics.Scoping;

public enum ScopeKind { Tenant, Regions, Dealer }

/// <summary>
/// What a caller may see: every dealer of the tenant, the dealers of some regions, or one dealer. Every analytics query takes one and
/// adds it to its SQL, so what a role may see is decided in one place (<see cref="IAnalyticsScopeResolver"/>).
/// </summary>
public sealed record AnalyticsScope(string TenantId, ScopeKind Kind, IReadOnlyList<string> Regions, string? Dealer)
{
    public static AnalyticsScope WholeTenant(string tenantId) => new(tenantId, ScopeKind.Tenant, [], null);
    public static AnalyticsScope OfRegions(string tenantId, params string[] regions) => new(tenantId, ScopeKind.Regions, regions, null);
    public static AnalyticsScope OfDealer(string tenantId, string dealer) => new(tenantId, ScopeKind.Dealer, [], dealer);

    /// <summary>Whether a dealer (in its current region) is visible; a dealer outside the scope is answered as not found.</summary>
    public bool Sees(string dealerCode, string? regionCode) => Kind switch
    {
        ScopeKind.Tenant => true,
        ScopeKind.Regions => regionCode is not null && Regions.Contains(regionCode),
        _ => Dealer == dealerCode,
    };

    public void EnsureSees(string dealerCode, string? regionCode)
    {
        if (!Sees(dealerCode, regionCode)) throw new NotFoundException($"Dealer '{dealerCode}' was not found.");
    }
}

/// <summary>The one place that turns the caller into an <see cref="AnalyticsScope"/>; the roles of the security feature plug in here.</summary>
public interface IAnalyticsScopeResolver
{
    AnalyticsScope Resolve();
}

/// <summary>The signed-in user's org scope (<see cref="Security.OrgScopes"/>: roles with their regions or dealer) as an analytics scope.</summary>
public sealed class OrgAnalyticsScopeResolver(Security.OrgScopes scopes) : IAnalyticsScopeResolver
{
    public AnalyticsScope Resolve()
    {
        var scope = scopes.Current;
        if (scope.TenantWide) return AnalyticsScope.WholeTenant(scope.Tenant);
        if (scope.Dealer is { } dealer) return AnalyticsScope.OfDealer(scope.Tenant, dealer);
        return AnalyticsScope.OfRegions(scope.Tenant, [.. scope.Regions]); // none: sees no dealer
    }

    /// <summary>Whether this user may read free text (verbatims): not analysts.</summary>
    public bool PersonalData => scopes.Current.PersonalData;
}
