using System.Net;
using System.Text.Json.Nodes;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Exchanging;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Questionnaires;

public class ExchangingQuestionnaireTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private static Question EveryType(QuestionType type, string id) => type switch
    {
        QuestionType.Rating => new(id, type, Text("Rate the lounge", "请为休息区打分"), ScaleMin: 1, ScaleMax: 10,
            MinLabel: Text("Poor", "差"), MaxLabel: Text("Great", "好"), Key: "lounge", Description: Text("Coffee, seats, Wi-Fi", "咖啡、座椅、无线网络")),
        QuestionType.SingleChoice => new(id, type, Text("Visit type", "到店类型"), Choices: [new("repair", Text("Repair", "维修")), new("service", Text("Service", "保养"))], Required: true),
        QuestionType.MultipleChoice => WhatWentWrong(id) with { VisibleIf = "{nps} <= 6 and {single} = 'repair'", MinChoices = 1, MaxChoices = 2 },
        QuestionType.FreeText => Comment(id) with { RequiredIf = "{wrong} contains 'price'" },
        _ => new(id, type, Text($"{type}?", $"{type}？"), Required: type == QuestionType.Nps, Page: 1),
    };

    private static QuestionnaireDefinition Rich() => new(
        Text("After-service survey", "售后服务调查"), Text("Takes two minutes, {customer.name}.", "只需两分钟，{customer.name}。"), "zh-CN", ["zh-CN", "en"],
        [EveryType(QuestionType.Nps, "nps"), EveryType(QuestionType.Csat, "csat"), EveryType(QuestionType.Ces, "ces"), EveryType(QuestionType.Rating, "rating"),
         EveryType(QuestionType.SingleChoice, "single"), EveryType(QuestionType.MultipleChoice, "wrong"), EveryType(QuestionType.FreeText, "comment")]);

    [Fact]
    public async Task Export_then_import_gives_back_the_same_definition()
    {
        var created = await (await _client.Send(HttpMethod.Post, "/api/questionnaires/import",
            new QuestionnaireDocument(QuestionnaireDocument.FormatName, 1, Rich()))).Read<QuestionnaireView>(HttpStatusCode.Created);
        created.Draft.ShouldBe(Rich());

        var exportResponse = await _client.GetAsync($"/api/questionnaires/{created.Id}/export");
        var exportedJson = await exportResponse.Content.ReadAsStringAsync();
        var exported = await exportResponse.Read<QuestionnaireDocument>();
        exported.Format.ShouldBe("survey-engine/questionnaire");
        exported.Source!.QuestionnaireId.ShouldBe(created.Id);
        exported.Definition.ShouldBe(Rich());

        // the raw exported JSON, untouched, imports again into an equal definition
        var again = await (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires/import", exportedJson)).Read<QuestionnaireView>(HttpStatusCode.Created);
        again.Id.ShouldNotBe(created.Id);
        again.Draft.ShouldBe(Rich());
        var reexported = JsonNode.Parse(await (await _client.GetAsync($"/api/questionnaires/{again.Id}/export")).Content.ReadAsStringAsync())!;
        JsonNode.DeepEquals(reexported["definition"], JsonNode.Parse(exportedJson)!["definition"]).ShouldBeTrue();
    }

    [Fact]
    public async Task Export_of_a_published_version_and_replacing_the_draft()
    {
        var created = await (await _client.Send(HttpMethod.Post, "/api/questionnaires/import",
            new QuestionnaireDocument(QuestionnaireDocument.FormatName, 1, Rich()))).Read<QuestionnaireView>(HttpStatusCode.Created);
        (await _client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var smaller = Rich() with { Questions = Rich().Questions.Take(2).ToList() };
        var replaced = await (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{created.Id}/draft",
            new QuestionnaireDocument(QuestionnaireDocument.FormatName, 1, smaller))).Read<QuestionnaireView>();
        replaced.Draft.Questions.Count.ShouldBe(2);
        replaced.HasUnpublishedChanges.ShouldBeTrue();

        var v1 = await (await _client.GetAsync($"/api/questionnaires/{created.Id}/export?version=1")).Read<QuestionnaireDocument>();
        v1.Definition.ShouldBe(Rich());
        v1.Source!.Version.ShouldBe(1);
        await (await _client.GetAsync($"/api/questionnaires/{created.Id}/export?version=7")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Import_of_an_unknown_format_or_invalid_definition_is_400_and_stores_nothing()
    {
        var before = await api.CountRows("mt_events");
        var wrongFormat = await (await _client.Send(HttpMethod.Post, "/api/questionnaires/import",
            new QuestionnaireDocument("qualtrics/qsf", 2, Rich()))).Problem(HttpStatusCode.BadRequest);
        wrongFormat.ErrorPaths().ShouldBe(["format", "formatVersion"], ignoreOrder: true);

        var broken = Rich() with { Questions = [.. Rich().Questions, Nps() with { Page = 2 }] };
        var invalid = await (await _client.Send(HttpMethod.Post, "/api/questionnaires/import",
            new QuestionnaireDocument(QuestionnaireDocument.FormatName, 1, broken))).Problem(HttpStatusCode.BadRequest);
        invalid.ErrorPaths().ShouldBe(["questions[7].id"]);
        (await api.CountRows("mt_events")).ShouldBe(before);
    }
}
