using System.Net;
using Survey.Domain.Operations;
using Survey.Tests.Infrastructure;
using static Survey.Api.Security.Roles;

namespace Survey.Tests.Api.Security;

/// <summary>
/// Scoped roles see their part of the org hierarchy; asking by id for something outside it answers exactly like asking for
/// something that does not exist (404), so a dealer cannot even learn that another dealer exists.
/// Rows are (who, url, expected): add scorecards, cases, responses and PDFs by id as they arrive.
/// </summary>
public class OrgScopeTests(SecurityFixture api) : IClassFixture<SecurityFixture>, IAsyncLifetime
{
    public sealed record Who(string Role, string[]? Regions = null, string? Dealer = null)
    {
        public override string ToString() => $"{Role}{(Regions is null ? "" : " of " + string.Join(",", Regions))}{(Dealer is null ? "" : " of " + Dealer)}";
    }

    private static readonly Who East = new(RegionalManager, ["EAST"]);
    private static readonly Who PudongManager = new(DealerManager, Dealer: "SH-PD-01");
    private static readonly Who PudongStaff = new(DealerStaff, Dealer: "SH-PD-01");
    private static readonly Who Admin = new(Administrator);

    public static TheoryData<Who, string, HttpStatusCode> ById => new()
    {
        { PudongManager, "/api/dealers/SH-PD-01", HttpStatusCode.OK },
        { PudongManager, "/api/dealers/SH-XH-02", HttpStatusCode.NotFound },   // same region, other dealer
        { PudongManager, "/api/dealers/BJ-CY-01", HttpStatusCode.NotFound },   // other region
        { PudongManager, "/api/regions/EAST", HttpStatusCode.OK },             // its own region's name
        { PudongManager, "/api/regions/NORTH", HttpStatusCode.NotFound },
        { PudongStaff, "/api/dealers/SH-PD-01", HttpStatusCode.OK },
        { PudongStaff, "/api/dealers/BJ-CY-01", HttpStatusCode.NotFound },
        { East, "/api/dealers/SH-PD-01", HttpStatusCode.OK },
        { East, "/api/dealers/SH-XH-02", HttpStatusCode.OK },
        { East, "/api/dealers/BJ-CY-01", HttpStatusCode.NotFound },
        { East, "/api/regions/EAST", HttpStatusCode.OK },
        { East, "/api/regions/NORTH", HttpStatusCode.NotFound },
        { Admin, "/api/dealers/BJ-CY-01", HttpStatusCode.OK },
        { Admin, "/api/regions/NORTH", HttpStatusCode.OK },
    };

    public static TheoryData<Who, string, string[]> Lists => new()
    {
        { PudongManager, "/api/dealers", ["SH-PD-01"] },
        { PudongStaff, "/api/dealers", ["SH-PD-01"] },
        { East, "/api/dealers", ["SH-PD-01", "SH-XH-02"] },
        { new(RegionalManager, ["EAST", "NORTH"]), "/api/dealers", ["BJ-CY-01", "SH-PD-01", "SH-XH-02"] },
        { East, "/api/dealers?region=NORTH", [] },
        { Admin, "/api/dealers", ["BJ-CY-01", "SH-PD-01", "SH-XH-02"] },
        { new(Analyst), "/api/dealers", ["BJ-CY-01", "SH-PD-01", "SH-XH-02"] },
        { PudongManager, "/api/regions", ["EAST"] },
        { East, "/api/regions", ["EAST"] },
        { Admin, "/api/regions", ["EAST", "NORTH"] },
    };

    public async Task InitializeAsync()
    {
        var admin = api.CreateClient();
        foreach (var region in new[] { "EAST", "NORTH" })
            (await admin.Send(HttpMethod.Put, $"/api/regions/{region}", new Region(region, new LocalizedName(region, region), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var (code, region) in new[] { ("SH-PD-01", "EAST"), ("SH-XH-02", "EAST"), ("BJ-CY-01", "NORTH") })
            (await admin.Send(HttpMethod.Put, $"/api/dealers/{code}", new Dealer(code, new LocalizedName(code, code), region, "Asia/Shanghai", null, [])))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client(Who who) => api.ClientFor(who.Role, regions: who.Regions, dealer: who.Dealer);

    [Theory]
    [MemberData(nameof(ById))]
    public async Task Objects_outside_the_scope_are_not_found(Who who, string url, HttpStatusCode expected)
    {
        var client = Client(who);
        var response = await client.GetAsync(url);
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        if (expected != HttpStatusCode.NotFound) return;
        // indistinguishable from an id that does not exist at all
        var missing = await client.GetAsync(url[..(url.LastIndexOf('/') + 1)] + "NO-SUCH-CODE");
        var (a, b) = (await response.Problem(HttpStatusCode.NotFound), await missing.Problem(HttpStatusCode.NotFound));
        a["title"]!.ToString().ShouldBe(b["title"]!.ToString());
        a["type"]!.ToString().ShouldBe(b["type"]!.ToString());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Lists_show_only_the_scope(Who who, string url, string[] codes)
    {
        var items = await (await Client(who).GetAsync(url)).Read<List<System.Text.Json.Nodes.JsonObject>>();
        items.Select(i => i["code"]!.ToString()).Order().ShouldBe(codes);
    }
}

/// <summary>Analysts read the org hierarchy without its personal data (managers' names and e-mail addresses).</summary>
public class OrgPersonalDataTests(SecurityFixture api) : IClassFixture<SecurityFixture>
{
    [Fact]
    public async Task Analysts_see_regions_and_dealers_without_their_managers()
    {
        var manager = new ManagerContact("陈静", "chen.jing@example.cn", "regional manager");
        (await api.CreateClient().Send(HttpMethod.Put, "/api/regions/EAST", new Region("EAST", new LocalizedName("华东区", "East"), [manager]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.CreateClient().Send(HttpMethod.Put, "/api/dealers/SH-01", new Dealer("SH-01", new LocalizedName("浦东", "Pudong"), "EAST", "Asia/Shanghai", null, [manager])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var analyst = api.ClientFor(Analyst);
        foreach (var url in new[] { "/api/regions", "/api/dealers", "/api/regions/EAST", "/api/dealers/SH-01" })
        {
            (await (await analyst.GetAsync(url)).Content.ReadAsStringAsync()).ShouldNotContain("chen.jing", customMessage: url);
            (await (await api.CreateClient().GetAsync(url)).Content.ReadAsStringAsync()).ShouldContain("chen.jing@example.cn", customMessage: url);
        }
    }
}
