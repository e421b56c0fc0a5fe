using System.Net;
using System.Text.Json.Nodes;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Exchanging;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Questionnaires;

public class ImportingSurveyJsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();
    private static readonly string AfterService = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "surveyjs", "after-service-csat.json"));

    [Fact]
    public async Task A_realistic_csat_survey_with_logic_becomes_a_publishable_questionnaire_and_reports_what_it_left_out()
    {
        var response = await _client.SendRaw(HttpMethod.Post, "/api/questionnaires/import/surveyjs?locale=en", AfterService);
        var result = await response.Read<SurveyJsImportView>(HttpStatusCode.Created);

        var q = result.Questionnaire!;
        q.Status.ShouldBe(QuestionnaireStatus.Draft);
        q.Draft.Locales.ShouldBe(["en", "zh-CN"]);
        q.Draft.Title["zh-CN"].ShouldBe("您在{dealer.name}的售后服务体验");
        var nps = q.Draft.Find("nps")!;
        nps.Type.ShouldBe(QuestionType.Nps);
        nps.Required.ShouldBeTrue();
        q.Draft.Questions.ShouldContain(x => x.Type == QuestionType.MultipleChoice && x.VisibleIf != null && x.VisibleIf.Contains("{nps} <= 6"));
        q.Draft.Questions.Select(x => x.Page).Max().ShouldBe(3);
        result.Unsupported.Select(u => u.Path).ShouldContain("pages[1].elements[3]");
        result.Unsupported.Single(u => u.Path == "pages[1].elements[3]").Reason.ShouldContain("matrix");

        // stored as converted, and it publishes as it is: every translation and every logic reference is there
        var stored = await (await _client.GetAsync($"/api/questionnaires/{q.Id}")).Read<QuestionnaireView>();
        stored.Draft.ShouldBe(result.Definition);
        var published = await (await _client.PostAsync($"/api/questionnaires/{q.Id}/publish", null)).Read<QuestionnaireView>();
        published.LatestPublishedVersion.ShouldBe(1);
    }

    [Fact]
    public async Task Dry_run_converts_and_reports_but_stores_nothing()
    {
        var before = await api.CountRows("mt_events");
        var result = await (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires/import/surveyjs?dryRun=true", AfterService)).Read<SurveyJsImportView>();
        result.Questionnaire.ShouldBeNull();
        result.Definition.Questions.Count.ShouldBeGreaterThan(5);
        result.Unsupported.ShouldNotBeEmpty();
        (await api.CountRows("mt_events")).ShouldBe(before);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"a survey\"")]
    [InlineData("{\"pages\": ")]
    public async Task Something_that_is_not_a_survey_object_is_400(string body)
    {
        var before = await api.CountRows("mt_events");
        await (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires/import/surveyjs", body)).Problem(HttpStatusCode.BadRequest);
        (await api.CountRows("mt_events")).ShouldBe(before);
    }

    [Fact]
    public async Task A_survey_whose_logic_points_at_nothing_is_refused_with_the_problem_path()
    {
        var survey = new JsonObject
        {
            ["pages"] = new JsonArray(new JsonObject
            {
                ["elements"] = new JsonArray(
                    new JsonObject { ["type"] = "rating", ["name"] = "nps", ["rateMin"] = 0, ["rateMax"] = 10 },
                    new JsonObject { ["type"] = "comment", ["name"] = "why", ["visibleIf"] = "{score} < 7" }),
            }),
        };
        var before = await api.CountRows("mt_events");
        var problem = await (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires/import/surveyjs", survey.ToJsonString())).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldContain("questions[1].visibleIf");
        (await api.CountRows("mt_events")).ShouldBe(before);
    }
}
