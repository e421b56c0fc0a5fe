using System.Net;
using Survey.Api.Questionnaires;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Questionnaires;

public class CreatingQuestionnaireTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Created_questionnaire_is_a_draft_with_location_and_etag()
    {
        var response = await _client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps(), WhatWentWrong()));
        var view = await response.Read<QuestionnaireView>(HttpStatusCode.Created);

        response.Headers.Location!.ToString().ShouldBe($"/api/questionnaires/{view.Id}");
        response.ETag().ShouldBe("\"1\"");
        view.Status.ShouldBe(QuestionnaireStatus.Draft);
        view.DraftVersion.ShouldBe(1);
        view.Draft.Questions.Select(q => q.Id).ShouldBe(["nps", "wrong"]);
        view.Draft.Questions[1].Choices!.Select(c => c.Text["zh-CN"]).ShouldBe(["等待时间", "价格"]);
        view.CreatedAt.ShouldBe(api.Time.GetUtcNow());

        var read = await _client.GetAsync(response.Headers.Location);
        (await read.Read<QuestionnaireView>()).Draft.ShouldBe(view.Draft);
        read.ETag().ShouldBe("\"1\"");
    }

    [Fact]
    public async Task Invalid_definition_is_400_with_every_problem_and_nothing_stored()
    {
        var streamsBefore = await api.CountRows("mt_streams");
        var broken = new Question("wrong", QuestionType.MultipleChoice, Text("?"), VisibleIf: "{ghost} <= 6", Choices: []);
        var response = await _client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps(), broken, Nps()));

        var problem = await response.Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldBe(["questions[1].visibleIf", "questions[1].choices", "questions[2].id"], ignoreOrder: true);
        problem["problems"]!.AsArray().Count.ShouldBe(3);
        (await api.CountRows("mt_streams")).ShouldBe(streamsBefore);
    }
}
