using System.Net;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

public class AnsweringByLinkTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();
    private Respondent Respondent => new(_client);

    [Fact]
    public async Task An_open_link_renders_in_the_respondents_language_and_a_response_goes_from_start_to_complete()
    {
        var questionnaireId = await Respondent.PublishedSurvey();
        var link = await Respondent.Link(questionnaireId);

        var zh = await (await _client.GetAsync($"/api/public/surveys/by-link/{link}?locale=zh")).Read<SurveyView>();
        zh.Locale.ShouldBe("zh-CN");
        zh.Title.ShouldBe("售后服务调查");
        zh.Questions[0].ShouldSatisfyAllConditions(q => q.Type.ShouldBe(QuestionType.Nps), q => q.Scale!.Max.ShouldBe(10), q => q.Text.ShouldBe("您向朋友推荐的可能性有多大？"));
        zh.Questions[1].VisibleIf.ShouldBe("{nps} <= 6");
        zh.PageCount.ShouldBe(2);
        var en = await (await _client.GetAsync($"/api/public/surveys/by-link/{link}?locale=en-GB")).Read<SurveyView>();
        en.Questions[1].Choices!.Select(c => c.Text).ShouldBe(["Waiting time", "Price"]);

        var id = Guid.NewGuid();
        var source = new SourceView("link", LinkId: link);
        (await Respondent.Start(id, source)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Respondent.Start(id, source)).StatusCode.ShouldBe(HttpStatusCode.OK); // a retried start changes nothing

        (await (await Respondent.Save(id, 1, new { nps = 4 })).Read<SaveResult>()).Completed.ShouldBeFalse();
        (await Respondent.Save(id, 2, new { wrong = new[] { "wait", "price" } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        // csat becomes required because nps <= 6
        (await (await Respondent.Complete(id, 3)).Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["csat"]);
        (await (await Respondent.Complete(id, 3, new { csat = 2, comment = "Waited two hours." })).Read<SaveResult>()).Completed.ShouldBeTrue();
        (await (await Respondent.Complete(id, 3, new { csat = 2, comment = "Waited two hours." })).Read<SaveResult>()).Completed.ShouldBeTrue(); // retry

        var stored = await (await _client.GetAsync($"/api/responses/{id}")).Read<Response>();
        stored.Status.ShouldBe(ResponseStatus.Completed);
        stored.Locale.ShouldBe("en");
        stored.Channel.ShouldBe("web");
        stored.Device.ShouldBe("mobile");
        stored.PageUrl.ShouldBe("https://shop.example.com/thanks");
        stored.Source.LinkId.ShouldBe(link);
        stored.QuestionnaireVersion.ShouldBe(1);
        stored.Answers["nps"].Number.ShouldBe(4);
        stored.Answers["wrong"].Choices.ShouldBe(["wait", "price"]);
        stored.Answers["comment"].Text.ShouldBe("Waited two hours.");
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_events where stream_id = '{id}'")).ShouldBe(5);

        (await (await Respondent.Save(id, 4, new { nps = 9 })).Problem(HttpStatusCode.Conflict))["code"]!.GetValue<string>().ShouldBe("completed");
    }

    [Fact]
    public async Task The_same_save_sent_three_times_even_at_once_is_applied_once()
    {
        var link = await Respondent.Link(await Respondent.PublishedSurvey());
        var id = Guid.NewGuid();
        (await Respondent.Start(id, new SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);

        for (var i = 0; i < 3; i++) { var r = await Respondent.Save(id, 1, new { nps = 3 }); r.StatusCode.ShouldBe(HttpStatusCode.OK, await r.Content.ReadAsStringAsync()); }
        var together = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Respondent.Save(id, 2, new { wrong = new[] { "wait" } })));
        together.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
        (await Respondent.Save(id, 2, new { wrong = new[] { "wait" } })).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_events where stream_id = '{id}' and type = 'response_answers_saved'")).ShouldBe(2);
        // a different save under a number already used is refused
        (await (await Respondent.Save(id, 1, new { nps = 10 })).Problem(HttpStatusCode.Conflict))["code"]!.GetValue<string>().ShouldBe("sequence-reused");
        (await (await _client.GetAsync($"/api/responses/{id}")).Read<Response>()).Answers["nps"].Number.ShouldBe(3);
    }

    [Fact]
    public async Task Changing_an_earlier_answer_drops_answers_its_logic_now_hides()
    {
        var link = await Respondent.Link(await Respondent.PublishedSurvey());
        var id = Guid.NewGuid();
        await Respondent.Start(id, new SourceView("link", LinkId: link));
        await Respondent.Save(id, 1, new { nps = 2, wrong = new[] { "price" } });
        (await Respondent.Save(id, 2, new { nps = 9 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = await (await _client.GetAsync($"/api/responses/{id}")).Read<Response>();
        stored.Answers.Keys.ShouldBe(["nps"]);
        (await Respondent.Complete(id, 3)).StatusCode.ShouldBe(HttpStatusCode.OK); // csat is no longer required
    }

    [Fact]
    public async Task A_partial_response_is_kept_and_abandoned_after_the_idle_time()
    {
        var questionnaireId = await Respondent.PublishedSurvey();
        var link = await Respondent.Link(questionnaireId);
        var id = Guid.NewGuid();
        await Respondent.Start(id, new SourceView("link", LinkId: link));
        await Respondent.Save(id, 1, new { nps = 8 });

        api.Time.Advance(TimeSpan.FromHours(25));
        var job = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Survey.Api.Respondents.Responses.AbandonResponsesJob>(api.Services);
        (await job.Run(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);
        (await job.Run(CancellationToken.None)).ShouldBe(0); // safe to run twice

        var stored = await (await _client.GetAsync($"/api/responses/{id}")).Read<Response>();
        stored.Status.ShouldBe(ResponseStatus.Abandoned);
        stored.Answers["nps"].Number.ShouldBe(8);
        var partials = await (await _client.GetAsync($"/api/responses?questionnaireId={questionnaireId}&status=abandoned")).Content.ReadAsStringAsync();
        partials.ShouldContain(id.ToString());
    }

    [Fact]
    public async Task A_closed_link_and_unknown_addresses_answer_clearly()
    {
        var link = await Respondent.Link(await Respondent.PublishedSurvey());
        await (await _client.GetAsync("/api/public/surveys/by-link/nope")).Problem(HttpStatusCode.NotFound);
        await (await Respondent.Save(Guid.NewGuid(), 1, new { nps = 1 })).Problem(HttpStatusCode.NotFound);
        (await _client.PostAsync($"/api/public-links/{link}/deactivate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await _client.GetAsync($"/api/public/surveys/by-link/{link}")).Problem(HttpStatusCode.Gone))["title"]!.GetValue<string>().ShouldContain("closed");
    }
}
