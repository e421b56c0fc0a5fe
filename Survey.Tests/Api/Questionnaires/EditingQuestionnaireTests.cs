using System.Net;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Authoring;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Questionnaires;

public class EditingQuestionnaireTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(Guid Id, string ETag)> CreateDraft(params Question[] questions)
    {
        var response = await _client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(questions));
        var view = await response.Read<QuestionnaireView>(HttpStatusCode.Created);
        return (view.Id, response.ETag());
    }

    [Fact]
    public async Task Add_edit_reorder_and_remove_with_if_match_move_the_etag_forward()
    {
        var (id, etag) = await CreateDraft(Nps());

        var added = await _client.Send(HttpMethod.Post, $"/api/questionnaires/{id}/questions", new AddQuestionRequest(Comment() with { Page = 1 }), etag);
        (await added.Read<QuestionnaireView>()).Draft.Questions.Select(q => q.Id).ShouldBe(["nps", "comment"]);
        added.ETag().ShouldBe("\"2\"");

        var inserted = await _client.Send(HttpMethod.Post, $"/api/questionnaires/{id}/questions", new AddQuestionRequest(WhatWentWrong(), 1), added.ETag());
        (await inserted.Read<QuestionnaireView>()).Draft.Questions.Select(q => q.Id).ShouldBe(["nps", "wrong", "comment"]);

        var edited = await _client.Send(HttpMethod.Put, $"/api/questionnaires/{id}/questions/comment", Comment() with { Page = 1, MaxLength = 500 }, inserted.ETag());
        (await edited.Read<QuestionnaireView>()).Draft.Find("comment")!.MaxLength.ShouldBe(500);

        var reordered = await _client.Send(HttpMethod.Put, $"/api/questionnaires/{id}/question-order", new ReorderQuestionsRequest(["nps", "comment", "wrong"]), edited.ETag());
        (await reordered.Read<QuestionnaireView>()).Draft.Questions.Select(q => q.Id).ShouldBe(["nps", "comment", "wrong"]);

        var removed = await _client.Send(HttpMethod.Delete, $"/api/questionnaires/{id}/questions/wrong", ifMatch: reordered.ETag());
        (await removed.Read<QuestionnaireView>()).Draft.Questions.Select(q => q.Id).ShouldBe(["nps", "comment"]);
        removed.ETag().ShouldBe("\"6\"");
    }

    [Fact]
    public async Task Stale_if_match_is_412_and_changes_nothing()
    {
        var (id, etag) = await CreateDraft(Nps());
        (await _client.Send(HttpMethod.Post, $"/api/questionnaires/{id}/questions", new AddQuestionRequest(Comment() with { Page = 1 }), etag))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // a second editor still holds version 1
        var stale = await _client.Send(HttpMethod.Post, $"/api/questionnaires/{id}/questions", new AddQuestionRequest(WhatWentWrong()), etag);
        (await stale.Problem(HttpStatusCode.PreconditionFailed))["type"]!.GetValue<string>().ShouldEndWith("stale-version");

        var current = await _client.GetAsync($"/api/questionnaires/{id}");
        (await current.Read<QuestionnaireView>()).Draft.Questions.Select(q => q.Id).ShouldBe(["nps", "comment"]);
        current.ETag().ShouldBe("\"2\"");
    }

    [Fact]
    public async Task Concurrent_editors_with_the_same_etag_cannot_both_win()
    {
        var (id, etag) = await CreateDraft(Nps());
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            _client.Send(HttpMethod.Post, $"/api/questionnaires/{id}/questions",
                new AddQuestionRequest(new Question($"q{i}", QuestionType.Csat, Text($"Question {i}"))), etag)));

        attempts.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        attempts.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed).ShouldBe(5);
        var current = await (await _client.GetAsync($"/api/questionnaires/{id}")).Read<QuestionnaireView>();
        current.Draft.Questions.Count.ShouldBe(2);
        current.Version.ShouldBe(2);
    }

    [Fact]
    public async Task Malformed_if_match_is_400()
    {
        var (id, _) = await CreateDraft(Nps());
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/questionnaires/{id}/archive");
        request.Headers.TryAddWithoutValidation("If-Match", "W/\"1\"");
        (await (await _client.SendAsync(request)).Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["If-Match"]);
    }

    [Fact]
    public async Task Removing_a_question_other_logic_depends_on_is_409_and_changes_nothing()
    {
        var (id, etag) = await CreateDraft(Nps(), WhatWentWrong());
        var response = await _client.Send(HttpMethod.Delete, $"/api/questionnaires/{id}/questions/nps", ifMatch: etag);
        var problem = await response.Problem(HttpStatusCode.Conflict);
        problem["code"]!.GetValue<string>().ShouldBe("breaks-logic");
        (await _client.GetAsync($"/api/questionnaires/{id}")).ETag().ShouldBe(etag);
    }

    [Fact]
    public async Task Unknown_questionnaire_or_question_is_404_and_writes_nothing()
    {
        var events = await api.CountRows("mt_events");
        var unknown = Guid.NewGuid();
        await (await _client.Send(HttpMethod.Post, $"/api/questionnaires/{unknown}/questions", new AddQuestionRequest(Nps()))).Problem(HttpStatusCode.NotFound);
        await (await _client.GetAsync($"/api/questionnaires/{unknown}")).Problem(HttpStatusCode.NotFound);
        await (await _client.PostAsync($"/api/questionnaires/{unknown}/publish", null)).Problem(HttpStatusCode.NotFound);
        (await api.CountRows("mt_events")).ShouldBe(events);
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_streams where id = '{unknown}'")).ShouldBe(0);

        var (id, _) = await CreateDraft(Nps());
        await (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{id}/questions/ghost", Nps("ghost"))).Problem(HttpStatusCode.NotFound);
        await (await _client.Send(HttpMethod.Delete, $"/api/questionnaires/{id}/questions/ghost")).Problem(HttpStatusCode.NotFound);
    }
}
