using System.Net;
using System.Text;
using Survey.Api.Security;
using Survey.Tests.Infrastructure;
using static Survey.Api.Security.Roles;

namespace Survey.Tests.Api.Security;

/// <summary>
/// Each role against each area. A row is one call and the roles it is for; everyone else gets 403, a caller without a
/// token 401. Bodies are empty objects, so an allowed write is refused as bad input and changes nothing; the point is only
/// whether authorization let it through.
/// </summary>
public class RoleMatrixTests(SecurityFixture api) : IClassFixture<SecurityFixture>
{
    public sealed record Row(string Area, string Method, string Url, string[] Allowed, HttpStatusCode Refused = HttpStatusCode.Forbidden)
    {
        public override string ToString() => $"{Area}: {Method} {Url}";
    }

    private static readonly string[] Everyone = [.. All];
    private static readonly string Any = "0b5f9a3e-6c1d-4f7a-9a51-2f3c4d5e6f70"; // no such object (Guid.Empty answers 500 in some write paths: reported, not ours)

    public static readonly Row[] Rows =
    [
        new("questionnaires", "GET", "/api/questionnaires", [Administrator, Marketer, Analyst]),
        new("questionnaires", "GET", $"/api/questionnaires/{Any}/export", [Administrator, Marketer, Analyst]),
        new("questionnaires", "POST", "/api/questionnaires", [Administrator, Marketer]),
        new("questionnaires", "POST", $"/api/questionnaires/{Any}/publish", [Administrator, Marketer]),
        new("questionnaires", "PUT", $"/api/questionnaires/{Any}/translations/en", [Administrator, Marketer]),
        new("triggers", "GET", "/api/triggers", [Administrator, Marketer, Analyst]),
        new("triggers", "POST", "/api/triggers", [Administrator, Marketer]),
        new("triggers", "POST", $"/api/triggers/{Any}/pause", [Administrator, Marketer]),
        new("distribution", "POST", "/api/public-links", [Administrator, Marketer]),
        new("distribution", "POST", "/api/widget-keys", [Administrator, Marketer]),
        new("distribution", "GET", "/api/widget-keys/none", [Administrator, Marketer, Analyst]),
        new("distribution", "POST", "/api/invitations", [Administrator, Marketer]),
        new("responses", "GET", $"/api/responses?questionnaireId={Any}", [Administrator, Marketer]),
        new("responses", "GET", $"/api/responses/{Any}", [Administrator, Marketer]),
        new("org hierarchy", "GET", "/api/regions", Everyone),
        new("org hierarchy", "GET", "/api/dealers", Everyone),
        new("org hierarchy", "PUT", "/api/regions/EAST", [Administrator]),
        new("org hierarchy", "PUT", "/api/dealers/SH-01", [Administrator]),
        new("api keys", "GET", "/api/api-keys", [Administrator]),
        new("api keys", "POST", "/api/api-keys", [Administrator]),
        new("api keys", "POST", "/api/api-keys/none/rotate", [Administrator]),
        new("api keys", "POST", "/api/api-keys/none/revoke", [Administrator]),
        new("audit", "GET", "/api/audit", [Administrator]),
        new("job dashboard", "GET", "/hangfire", [Administrator]),
        new("job dashboard", "POST", "/api/jobs/dashboard-session", [Administrator]),
        new("email templates", "GET", $"/api/questionnaires/{Any}/email-templates", [Administrator, Marketer, Analyst]),
        new("email templates", "PUT", $"/api/questionnaires/{Any}/email-templates/en", [Administrator, Marketer]),
        // analytics: every console role reads (narrowed to its org scope), designers change the settings
        new("analytics", "GET", "/api/analytics/league?period=month&date=2026-10-15", Everyone),
        new("analytics", "GET", "/api/analytics/metrics?period=month&date=2026-10-15", Everyone),
        new("analytics", "GET", "/api/analytics/dealers/SH-01/scorecard?period=month&date=2026-10-15", Everyone),
        new("analytics", "POST", "/api/analytics/settings/index", [Administrator, Marketer]),
        // cases: every console role reads its cases, all but analysts work them, designers set rules and settings
        new("cases", "GET", "/api/cases", Everyone),
        new("cases", "GET", $"/api/cases/{Any}", Everyone),
        new("cases", "POST", $"/api/cases/{Any}/assign", [Administrator, Marketer, RegionalManager, DealerManager, DealerStaff]),
        new("cases", "POST", $"/api/cases/{Any}/resolve", [Administrator, Marketer, RegionalManager, DealerManager, DealerStaff]),
        new("cases", "PUT", "/api/cases/settings", [Administrator, Marketer]),
        new("cases", "GET", "/api/case-rules", [Administrator, Marketer, Analyst]),
        new("cases", "PUT", $"/api/case-rules/{Any}", [Administrator, Marketer]),
        // personal data: look-ups for tenant-wide readers (analysts see contact points masked), the rest administrators
        new("privacy", "GET", "/api/privacy/customers/C-none", [Administrator, Marketer, Analyst]),
        new("privacy", "GET", "/api/privacy/customers/C-none/export", [Administrator]),
        new("privacy", "POST", "/api/privacy/customers/C-none/erasure", [Administrator]),
        new("privacy", "PUT", "/api/privacy/retention", [Administrator]),
        new("responses", "GET", $"/api/questionnaires/{Any}/responses.csv", [Administrator, Marketer]),
        // reports: every console role downloads (narrowed to its org scope: outside it 404); settings and deliveries are administrators'
        new("reports", "GET", "/api/reports/dealers/SH-01/scorecard.pdf?period=2026-10", Everyone),
        new("reports", "GET", "/api/reports/regions/EAST/report.pdf?period=2026-10&lang=zh-CN", Everyone),
        new("reports", "GET", "/api/reports/settings", [Administrator]),
        new("reports", "PUT", "/api/reports/settings", [Administrator]),
        new("reports", "GET", "/api/reports/deliveries?period=2026-10", [Administrator]),
        new("reports", "POST", "/api/reports/deliveries", [Administrator]),
        // ingestion takes an API key, never a console sign-in
        new("ingestion", "POST", "/api/ingest/events", [], HttpStatusCode.Unauthorized),
        new("ingestion", "GET", $"/api/ingest/imports/{Any}", [], HttpStatusCode.Unauthorized),
    ];

    public static TheoryData<Row, string> Cases()
    {
        var data = new TheoryData<Row, string>();
        foreach (var row in Rows)
            foreach (var role in All.Append("anonymous"))
                data.Add(row, role);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_gets_only_its_areas(Row row, string role)
    {
        var client = role switch
        {
            "anonymous" => api.Anonymous(),
            RegionalManager => api.ClientFor(role, regions: ["EAST"]),
            DealerManager or DealerStaff => api.ClientFor(role, dealer: "SH-01"),
            _ => api.ClientFor(role),
        };
        var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Url);
        if (row.Method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        if (role == "anonymous") response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, body);
        else if (row.Allowed.Contains(role)) response.StatusCode.ShouldNotBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], body);
        else response.StatusCode.ShouldBe(row.Refused, body);
        if ((int)response.StatusCode >= 500) throw new ShouldAssertException($"{row}: {response.StatusCode} {body}");
    }

    [Fact]
    public async Task A_token_without_a_tenant_is_refused_and_no_default_tenant_is_assumed()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var token = handler.CreateToken(SignInTests.Descriptor(api, new() { ["sub"] = "nobody", ["role"] = Administrator }));
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await (await client.GetAsync("/api/questionnaires")).Problem(HttpStatusCode.Forbidden);
        await (await client.Send(HttpMethod.Post, "/api/questionnaires", new { })).Problem(HttpStatusCode.Forbidden);
    }
}
