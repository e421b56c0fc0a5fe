using System.Net;
using System.Text.Json.Nodes;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Operations;

public class HealthAndDocsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Health_reports_database_and_hangfire()
    {
        JsonObject? health = null;
        // the Hangfire server's first heartbeat lands a moment after start-up
        for (var attempt = 0; attempt < 50; attempt++)
        {
            health = JsonNode.Parse(await (await _client.GetAsync("/health")).Content.ReadAsStringAsync())!.AsObject();
            if (health["status"]!.GetValue<string>() == "Healthy") break;
            await Task.Delay(200);
        }
        health!["status"]!.GetValue<string>().ShouldBe("Healthy", health.ToJsonString());
        health["checks"]!["database"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
        health["checks"]!["hangfire"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    [Fact]
    public async Task OpenApi_document_lists_the_questionnaire_endpoints_with_summaries()
    {
        var response = await _client.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = doc["paths"]!.AsObject();
        foreach (var path in new[] { "/api/questionnaires", "/api/questionnaires/{id}", "/api/questionnaires/{id}/publish",
                     "/api/questionnaires/{id}/versions/{version}", "/api/questionnaires/import/surveyjs", "/api/questionnaires/{id}/export" })
            paths.ContainsKey(path).ShouldBeTrue($"{path} missing from {string.Join(", ", paths.Select(p => p.Key))}");
        var operations = paths.SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "delete").Select(o => (p.Key, o.Value!))).ToList();
        operations.Where(o => o.Key.StartsWith("/api/")).ShouldAllBe(o => o.Item2["summary"] != null);
        doc["components"]!["schemas"]!["Question"].ShouldNotBeNull();
        var createExample = paths["/api/questionnaires"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"];
        createExample!["questions"]![0]!["type"]!.GetValue<string>().ShouldBe("nps");
    }

    [Fact]
    public async Task Widget_loader_is_served_to_any_site()
    {
        var response = await _client.GetAsync("/widget/v1/loader.js");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        (await response.Content.ReadAsStringAsync()).ShouldContain("surveyWidget");
    }

    [Fact]
    public async Task The_job_dashboard_answers_this_machine()
    {
        var response = await _client.GetAsync("/hangfire");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Survey engine jobs");
    }

    [Fact]
    public async Task Docs_page_serves_the_reference()
    {
        var response = await _client.GetAsync("/docs");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("openapi/v1.json");
    }
}
