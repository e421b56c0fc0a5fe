using System.Security.Claims;
using Survey.Domain.Cases;
using Survey.Domain.Common;

namespace Survey.Api.Cases.Inbox;

/// <summary>
/// Which cases a caller may see and act on: the whole tenant, some regions, or one dealer. Every case query and action goes
/// through a scope, so roles plug in at one place (<see cref="ICaseScopeResolver"/>).
/// </summary>
public abstract record CaseScope
{
    public sealed record Tenant : CaseScope;
    public sealed record Regions(IReadOnlyList<string> Codes) : CaseScope;
    public sealed record Dealer(string Code) : CaseScope;

    public static readonly CaseScope TenantWide = new Tenant();

    public bool Allows(Case c) => this switch
    {
        Regions r => c.RegionCode is { } region && r.Codes.Contains(region),
        Dealer d => c.DealerCode == d.Code,
        _ => true,
    };

    public IQueryable<Case> Filter(IQueryable<Case> cases) => this switch
    {
        Regions r => cases.Where(c => r.Codes.Contains(c.RegionCode!)),
        Dealer d => cases.Where(c => c.DealerCode == d.Code),
        _ => cases,
    };

    /// <summary>The case, or 404 when it does not exist or lies outside the scope (a dealer never learns another dealer's case exists).</summary>
    public Case Require(Case? c, Guid id) =>
        c is not null && Allows(c) ? c : throw new NotFoundException($"Case {id} does not exist.");
}

/// <summary>Turns the caller into a scope. The security feature replaces this registration with its roles.</summary>
public interface ICaseScopeResolver
{
    CaseScope Resolve(HttpContext http);
}

/// <summary>The caller's org scope (<see cref="Security.OrgScopes"/>: roles and their regions or dealer) as a case scope.</summary>
public sealed class OrgCaseScopeResolver : ICaseScopeResolver
{
    public CaseScope Resolve(HttpContext http)
    {
        var scope = Security.OrgScopes.For(http.User);
        if (scope.TenantWide) return CaseScope.TenantWide;
        if (scope.Dealer is { } dealer) return new CaseScope.Dealer(dealer);
        return new CaseScope.Regions(scope.Regions.ToList()); // none: sees no case
    }
}
