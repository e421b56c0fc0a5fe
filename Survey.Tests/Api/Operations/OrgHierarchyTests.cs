using System.Net;
using Survey.Domain.Operations;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Operations;

public class OrgHierarchyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Regions_and_dealers_are_created_replaced_and_listed_with_chinese_names()
    {
        var east = new Region("EAST", new LocalizedName("华东区", "East"), [new ManagerContact("陈静", "chen.jing@example.cn", "regional manager")]);
        (await _client.Send(HttpMethod.Put, "/api/regions/EAST", east)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var pudong = new Dealer("SH-PD-01", new LocalizedName("上海浦东店", "Shanghai Pudong"), "EAST", "Asia/Shanghai", "上海", []);
        (await _client.Send(HttpMethod.Put, "/api/dealers/SH-PD-01", pudong)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.Send(HttpMethod.Put, "/api/dealers/SH-PD-01", pudong with { City = "上海市" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var dealers = await (await _client.GetAsync("/api/dealers?region=EAST")).Read<List<Dealer>>();
        dealers.ShouldHaveSingleItem().ShouldSatisfyAllConditions(d => d.City.ShouldBe("上海市"), d => d.Name.In("zh-CN").ShouldBe("上海浦东店"));
        (await (await _client.GetAsync("/api/regions")).Read<List<Region>>()).ShouldHaveSingleItem().Managers[0].Name.ShouldBe("陈静");
    }

    [Fact]
    public async Task Bad_dealers_are_400_with_every_problem()
    {
        var bad = new Dealer("OTHER", new LocalizedName("", "X"), "NOWHERE", "Mars/Olympus", null, [new ManagerContact("x", "not-mail")]);
        var problem = await (await _client.Send(HttpMethod.Put, "/api/dealers/BJ-01", bad)).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldBe(["code", "name", "managers[0].email", "timeZone", "regionCode"], ignoreOrder: true);
    }
}
