using System.Net;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Authoring;
using Survey.Api.Questionnaires.Translating;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Questionnaires;

public class TranslatingQuestionnaireTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task A_translator_reads_the_sheet_fills_it_and_the_questionnaire_publishes()
    {
        var request = new CreateQuestionnaireRequest(Text("After-service survey"), "en", ["en", "zh-CN"],
            Questions: [new Question("nps", QuestionType.Nps, Text("Would you recommend {dealer.name}?")),
                        new Question("visit", QuestionType.SingleChoice, Text("Visit type"), Choices: [new("repair", Text("Repair"))])]);
        var created = await (await _client.Send(HttpMethod.Post, "/api/questionnaires", request)).Read<QuestionnaireView>(HttpStatusCode.Created);
        (await (await _client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).Problem(HttpStatusCode.BadRequest))
            .ErrorPaths().Count.ShouldBe(4);

        var sheet = await (await _client.GetAsync($"/api/questionnaires/{created.Id}/translations/zh-CN")).Read<TranslationSheet>();
        sheet.Missing.ShouldBe(4);
        sheet.DefaultLocale.ShouldBe("en");
        sheet.Entries.Select(e => e.Key).ShouldBe(["title", "questions.nps.text", "questions.visit.text", "questions.visit.choices.repair"]);

        var texts = new Dictionary<string, string?>
        {
            ["title"] = "售后服务调查", ["questions.nps.text"] = "您会向朋友推荐{dealer.name}吗？",
            ["questions.visit.text"] = "到店类型", ["questions.visit.choices.repair"] = "维修",
        };
        var translated = await (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{created.Id}/translations/zh-CN", new TranslateRequest(texts), "\"1\""))
            .Read<QuestionnaireView>();
        translated.Draft.Find("visit")!.Choices![0].Text["zh-CN"].ShouldBe("维修");
        (await (await _client.GetAsync($"/api/questionnaires/{created.Id}/translations/zh-CN")).Read<TranslationSheet>()).Missing.ShouldBe(0);
        (await (await _client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).Read<QuestionnaireView>()).LatestPublishedVersion.ShouldBe(1);
    }

    [Fact]
    public async Task Unknown_keys_or_locales_are_400_and_change_nothing()
    {
        var created = await (await _client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps()))).Read<QuestionnaireView>(HttpStatusCode.Created);
        var bad = new TranslateRequest(new Dictionary<string, string?> { ["questions.nps.text"] = "好", ["questions.ghost.text"] = "鬼" });
        (await (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{created.Id}/translations/zh-CN", bad)).Problem(HttpStatusCode.BadRequest))
            .ErrorPaths().ShouldBe(["texts.questions.ghost.text"]);
        (await (await _client.GetAsync($"/api/questionnaires/{created.Id}/translations/fr")).Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["locale"]);
        var after = await (await _client.GetAsync($"/api/questionnaires/{created.Id}")).Read<QuestionnaireView>();
        after.Version.ShouldBe(1);
        after.Draft.Find("nps")!.Text["zh-CN"].ShouldBe(Nps().Text["zh-CN"]);
    }
}
