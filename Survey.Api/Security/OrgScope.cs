using System.Security.Claims;

namespace Survey.Api.Security;

/// <summary>
/// What part of the org hierarchy a principal may see: the whole tenant, some regions, or one dealer.
/// Query paths (org hierarchy, analytics, cases, reports) filter with it; an object outside the scope is "not found".
/// </summary>
/// <param name="PersonalData">Whether names and contact points may be shown (not to analysts).</param>
public sealed record OrgScope(string Tenant, bool TenantWide, IReadOnlySet<string> Regions, string? Dealer, bool PersonalData = true)
{
    public static OrgScope Everything(string tenant, bool personalData = true) => new(tenant, true, new HashSet<string>(), null, personalData);

    /// <summary>Whether a dealer (in its region) is inside this scope.</summary>
    public bool IncludesDealer(string dealerCode, string regionCode) =>
        TenantWide || Regions.Contains(regionCode) || (Dealer is not null && Dealer == dealerCode);

    /// <summary>Whether a whole region is visible (a dealer user sees only its own dealer, not its region).</summary>
    public bool IncludesRegion(string regionCode) => TenantWide || Regions.Contains(regionCode);
}

/// <summary>The one place that turns a signed-in principal into an <see cref="OrgScope"/>.</summary>
public sealed class OrgScopes(IHttpContextAccessor http)
{
    /// <summary>The current request's scope; a principal whose role grants no scope gets an empty one (sees nothing).</summary>
    public OrgScope Current => For(http.HttpContext?.User ?? throw new InvalidOperationException("No request."));

    public static OrgScope For(ClaimsPrincipal user)
    {
        var tenant = user.FindFirstValue(Claims.Tenant) is { Length: > 0 } t ? t : throw new Survey.Domain.Common.ForbiddenException("The sign-in names no tenant.");
        if (user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Marketer) || user.IsInRole(Roles.Analyst)) return OrgScope.Everything(tenant, MaySeePersonalData(user));
        var regions = user.IsInRole(Roles.RegionalManager)
            ? user.FindAll(Claims.Regions).SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
        var dealer = user.IsInRole(Roles.DealerManager) || user.IsInRole(Roles.DealerStaff) ? user.FindFirstValue(Claims.Dealer) : null;
        return new OrgScope(tenant, false, regions, string.IsNullOrEmpty(dealer) ? null : dealer);
    }

    /// <summary>Personal data (names, contact points, free text) is hidden from analysts.</summary>
    public static bool MaySeePersonalData(ClaimsPrincipal user) => !user.IsInRole(Roles.Analyst) || Roles.All.Where(r => r != Roles.Analyst).Any(user.IsInRole);
}
