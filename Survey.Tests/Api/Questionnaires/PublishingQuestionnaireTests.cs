using System.Net;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Authoring;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Questionnaires;

public class PublishingQuestionnaireTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<Guid> CreateDraft(params Question[] questions) =>
        (await (await _client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(questions))).Read<QuestionnaireView>(HttpStatusCode.Created)).Id;

    [Fact]
    public async Task Publishing_freezes_version_1_and_a_later_edit_starts_version_2_without_touching_1()
    {
        var id = await CreateDraft(Nps(), WhatWentWrong());

        var published = await (await _client.PostAsync($"/api/questionnaires/{id}/publish", null)).Read<QuestionnaireView>();
        published.Status.ShouldBe(QuestionnaireStatus.Published);
        published.LatestPublishedVersion.ShouldBe(1);
        published.DraftVersion.ShouldBe(2);
        published.HasUnpublishedChanges.ShouldBeFalse();

        var v1Before = await (await _client.GetAsync($"/api/questionnaires/{id}/versions/1")).Read<PublishedVersionView>();

        api.Time.Advance(TimeSpan.FromDays(3));
        var edited = await (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{id}/questions/nps", Nps() with { Text = Text("Would you recommend us?", "您会推荐我们吗？") }))
            .Read<QuestionnaireView>();
        edited.HasUnpublishedChanges.ShouldBeTrue();
        edited.DraftVersion.ShouldBe(2);
        (await _client.Send(HttpMethod.Post, $"/api/questionnaires/{id}/questions", new AddQuestionRequest(Comment()))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var v1After = await (await _client.GetAsync($"/api/questionnaires/{id}/versions/1")).Read<PublishedVersionView>();
        v1After.Definition.ShouldBe(v1Before.Definition);
        v1After.Definition.Questions.Count.ShouldBe(2);
        v1After.Definition.Find("nps")!.Text["en"].ShouldBe("How likely are you to recommend {dealer.name}?");

        var v2 = await (await _client.PostAsync($"/api/questionnaires/{id}/publish", null)).Read<QuestionnaireView>();
        v2.LatestPublishedVersion.ShouldBe(2);
        var versions = await (await _client.GetAsync($"/api/questionnaires/{id}/versions")).Read<List<PublishedVersionSummary>>();
        versions.Select(v => (v.Version, v.QuestionCount)).ShouldBe([(1, 2), (2, 3)]);
        versions[1].PublishedAt.ShouldBe(versions[0].PublishedAt.AddDays(3));
        (await (await _client.GetAsync($"/api/questionnaires/{id}/versions/1")).Read<PublishedVersionView>()).Definition.ShouldBe(v1Before.Definition);
    }

    [Fact]
    public async Task Publishing_unchanged_draft_is_409()
    {
        var id = await CreateDraft(Nps());
        (await _client.PostAsync($"/api/questionnaires/{id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var problem = await (await _client.PostAsync($"/api/questionnaires/{id}/publish", null)).Problem(HttpStatusCode.Conflict);
        problem["code"]!.GetValue<string>().ShouldBe("nothing-to-publish");
    }

    [Fact]
    public async Task Publishing_with_missing_translation_is_400_with_path_and_publishes_nothing()
    {
        var id = await CreateDraft(Nps(), new Question("csat", QuestionType.Csat, Text("How satisfied are you?")));
        var problem = await (await _client.PostAsync($"/api/questionnaires/{id}/publish", null)).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldBe(["questions[1].text.zh-CN"]);
        await (await _client.GetAsync($"/api/questionnaires/{id}/versions/1")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Archived_questionnaire_refuses_edits_and_publishing()
    {
        var id = await CreateDraft(Nps());
        (await (await _client.PostAsync($"/api/questionnaires/{id}/archive", null)).Read<QuestionnaireView>()).Status.ShouldBe(QuestionnaireStatus.Archived);
        (await (await _client.Send(HttpMethod.Post, $"/api/questionnaires/{id}/questions", new AddQuestionRequest(Comment()))).Problem(HttpStatusCode.Conflict))
            ["code"]!.GetValue<string>().ShouldBe("archived");
        await (await _client.PostAsync($"/api/questionnaires/{id}/publish", null)).Problem(HttpStatusCode.Conflict);
    }
}
