using Survey.Api.Security;
using System.Net.Mail;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Domain.Common;
using Survey.Domain.Operations;

namespace Survey.Api.Operations.OrgHierarchy;

/// <summary>The org hierarchy below a tenant: regions and their dealers, with time zones and manager contacts.</summary>
public static class OrgEndpoints
{
    public static IEndpointRouteBuilder MapOrgApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Operational data").RequireReadWrite(Policies.Console, Policies.Administrator);
        group.MapPut("/regions/{code}", PutRegion).WithName("PutRegion").WithSummary("Create or replace a region")
            .WithRequestExample("""{ "code": "EAST", "name": { "zh": "华东区", "en": "East" }, "managers": [ { "name": "陈静", "email": "chen.jing@example.cn", "role": "regional manager" } ] }""");
        group.MapGet("/regions", Regions).WithName("ListRegions").WithSummary("List the regions the caller may see");
        group.MapGet("/regions/{code}", Region).WithName("GetRegion").WithSummary("Read a region (not found when outside the caller's scope)");
        group.MapPut("/dealers/{code}", PutDealer).WithName("PutDealer").WithSummary("Create or replace a dealer")
            .WithRequestExample("""{ "code": "SH-PD-01", "name": { "zh": "上海浦东店", "en": "Shanghai Pudong" }, "regionCode": "EAST", "timeZone": "Asia/Shanghai", "city": "上海", "managers": [] }""");
        group.MapGet("/dealers", Dealers).WithName("ListDealers").WithSummary("List the dealers the caller may see, optionally of one region");
        group.MapGet("/dealers/{code}", Dealer).WithName("GetDealer").WithSummary("Read a dealer (not found when outside the caller's scope)");
        return app;
    }

    private static async Task<Ok<Region>> PutRegion(string code, Region region, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var problems = CheckCode(code, region.Code, "code").Concat(CheckName(region.Name)).Concat(CheckManagers(region.Managers)).ToList();
        InvalidInputException.ThrowIfAny(problems);
        session.Store(new RegionRecord(code, region, time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(region);
    }

    private static async Task<Ok<List<Region>>> Regions(IQuerySession session, OrgScopes scopes, CancellationToken ct)
    {
        var scope = scopes.Current;
        var regions = (await session.Query<RegionRecord>().OrderBy(r => r.Id).ToListAsync(ct)).Select(r => r.Region).ToList();
        if (scope.TenantWide) return TypedResults.Ok(regions.Select(r => Mask(r, scope)).ToList());
        // a dealer user sees the region its dealer belongs to
        var dealerRegion = scope.Dealer is { } d ? (await session.LoadAsync<DealerRecord>(d, ct))?.Dealer.RegionCode : null;
        return TypedResults.Ok(regions.Where(r => scope.IncludesRegion(r.Code) || r.Code == dealerRegion).Select(r => Mask(r, scope)).ToList());
    }

    private static async Task<Ok<Region>> Region(string code, IQuerySession session, OrgScopes scopes, CancellationToken ct)
    {
        var scope = scopes.Current;
        var region = (await session.LoadAsync<RegionRecord>(code, ct))?.Region;
        var visible = region is not null && (scope.IncludesRegion(code)
            || scope.Dealer is { } d && (await session.LoadAsync<DealerRecord>(d, ct))?.Dealer.RegionCode == code);
        return visible ? TypedResults.Ok(Mask(region!, scope)) : throw new NotFoundException($"Region {code} does not exist.");
    }

    private static async Task<Ok<Dealer>> Dealer(string code, IQuerySession session, OrgScopes scopes, CancellationToken ct)
    {
        var scope = scopes.Current;
        var dealer = (await session.LoadAsync<DealerRecord>(code, ct))?.Dealer;
        return dealer is not null && scope.IncludesDealer(dealer.Code, dealer.RegionCode)
            ? TypedResults.Ok(Mask(dealer, scope))
            : throw new NotFoundException($"Dealer {code} does not exist.");
    }

    private static async Task<Ok<Dealer>> PutDealer(string code, Dealer dealer, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var problems = CheckCode(code, dealer.Code, "code").Concat(CheckName(dealer.Name)).Concat(CheckManagers(dealer.Managers)).ToList();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(dealer.TimeZone ?? "", out _)) problems.Add(new("timeZone", "unknown-time-zone", "timeZone is an IANA zone such as Asia/Shanghai."));
        if (string.IsNullOrWhiteSpace(dealer.RegionCode) || await session.LoadAsync<RegionRecord>(dealer.RegionCode, ct) is null)
            problems.Add(new("regionCode", "unknown-region", $"Region '{dealer.RegionCode}' does not exist; create it first."));
        InvalidInputException.ThrowIfAny(problems);
        session.Store(new DealerRecord(code, dealer, time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(dealer);
    }

    private static async Task<Ok<List<Dealer>>> Dealers(string? region, IQuerySession session, OrgScopes scopes, CancellationToken ct)
    {
        var scope = scopes.Current;
        IQueryable<DealerRecord> query = session.Query<DealerRecord>();
        if (!string.IsNullOrEmpty(region)) query = query.Where(d => d.Dealer.RegionCode == region);
        var dealers = (await query.OrderBy(d => d.Id).ToListAsync(ct)).Select(d => d.Dealer);
        return TypedResults.Ok(dealers.Where(d => scope.IncludesDealer(d.Code, d.RegionCode)).Select(d => Mask(d, scope)).ToList());
    }

    /// <summary>Managers' names and e-mail addresses are personal data: not for analysts.</summary>
    private static Region Mask(Region region, OrgScope scope) => scope.PersonalData ? region : region with { Managers = [] };
    private static Dealer Mask(Dealer dealer, OrgScope scope) => scope.PersonalData ? dealer : dealer with { Managers = [] };

    private static IEnumerable<InputProblem> CheckCode(string routeCode, string? bodyCode, string path)
    {
        if (routeCode.Length is 0 or > 64 || !routeCode.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            yield return new(path, "invalid-code", "A code is 1-64 letters, digits, '-' or '_'.");
        else if (bodyCode != routeCode) yield return new(path, "code-mismatch", "The code in the body must match the one in the address.");
    }

    private static IEnumerable<InputProblem> CheckName(LocalizedName? name)
    {
        if (name is null || string.IsNullOrWhiteSpace(name.Zh) || string.IsNullOrWhiteSpace(name.En))
            yield return new("name", "required", "A name in Chinese (zh) and English (en) is required.");
    }

    private static IEnumerable<InputProblem> CheckManagers(IReadOnlyList<ManagerContact>? managers)
    {
        for (var i = 0; i < (managers?.Count ?? 0); i++)
            if (!MailAddress.TryCreate(managers![i].Email, out _)) yield return new($"managers[{i}].email", "invalid-email", "A manager needs a valid e-mail address.");
    }
}
