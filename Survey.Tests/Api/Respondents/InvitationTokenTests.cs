using System.Buffers.Text;
using System.Net;
using System.Text;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Responses;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

public class InvitationTokenTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();
    private Respondent Respondent => new(_client);

    [Fact]
    public async Task A_valid_token_renders_its_survey_and_yields_one_completed_response()
    {
        var questionnaireId = await Respondent.PublishedSurvey();
        var invitation = await Respondent.Invitation(questionnaireId);
        invitation.Url.ShouldEndWith($"/s/{invitation.Token}");

        var view = await (await _client.GetAsync($"/api/public/surveys/by-token/{invitation.Token}?locale=zh-CN")).Read<SurveyView>();
        view.QuestionnaireId.ShouldBe(questionnaireId);
        view.Source.Kind.ShouldBe("invitation");
        view.Response.ShouldBeNull();

        var id = Guid.NewGuid();
        var source = new SourceView("invitation", Token: invitation.Token);
        (await Respondent.Start(id, source)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Respondent.Complete(id, 1, new { nps = 10 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await _client.GetAsync($"/api/responses/{id}")).Read<Response>()).Source.InvitationId.ShouldBe(invitation.InvitationId);

        // the invitation is used: the page says so, another response cannot start or complete
        (await (await _client.GetAsync($"/api/public/surveys/by-token/{invitation.Token}")).Read<SurveyView>()).Response!.Completed.ShouldBeTrue();
        var reuse = await (await Respondent.Start(Guid.NewGuid(), source)).Problem(HttpStatusCode.Conflict);
        reuse["title"]!.GetValue<string>().ShouldContain("already been answered");
    }

    [Fact]
    public async Task Two_hundred_simultaneous_completions_with_one_token_accept_exactly_one()
    {
        var invitation = await Respondent.Invitation(await Respondent.PublishedSurvey());
        var source = new SourceView("invitation", Token: invitation.Token);
        var ids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        foreach (var chunk in ids.Chunk(50))
            (await Task.WhenAll(chunk.Select(id => Respondent.Start(id, source)))).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);

        var results = await Task.WhenAll(ids.Select(id => Respondent.Complete(id, 1, new { nps = 9 })));
        results.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1, string.Join(",", results.GroupBy(r => r.StatusCode).Select(g => $"{g.Key}:{g.Count()}")));
        results.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(199);
        var winner = ids[Array.FindIndex(results, r => r.StatusCode == HttpStatusCode.OK)];
        (await Respondent.Complete(winner, 1, new { nps = 9 })).StatusCode.ShouldBe(HttpStatusCode.OK); // its retry is idempotent
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_events where stream_id = '{invitation.InvitationId}' and type = 'invitation_responded'")).ShouldBe(1);
        (await TestPostgres.ScalarAsync(api.ConnectionString, "select count(*) from survey.mt_doc_response where data ->> 'status' = 'Completed'")).ShouldBe(1);
    }

    [Fact]
    public async Task Forged_tampered_and_garbled_tokens_are_401_with_a_readable_message()
    {
        var invitation = await Respondent.Invitation(await Respondent.PublishedSurvey());
        var other = await Respondent.Invitation(await Respondent.PublishedSurvey());
        var (payload, signature) = (invitation.Token.Split('.')[0], invitation.Token.Split('.')[1]);

        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload));
        var crossSurvey = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.Replace(invitation.QuestionnaireId.ToString(), other.QuestionnaireId.ToString())));
        var otherTenant = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.Replace("\"default\"", "\"rival-brand\"")));
        var flipped = signature[..^2] + (signature[^2] == 'A' ? "B" : "A") + signature[^1];

        foreach (var token in new[] { $"{crossSurvey}.{signature}", $"{otherTenant}.{signature}", $"{payload}.{flipped}", $"{payload}.{other.Token.Split('.')[1]}",
                     "not-a-token", $"{payload}", "a.b.c", $"{payload}.!!!" })
        {
            var problem = await (await _client.GetAsync($"/api/public/surveys/by-token/{Uri.EscapeDataString(token)}")).Problem(HttpStatusCode.Unauthorized);
            problem["title"]!.GetValue<string>().ShouldBe("This survey link is not valid. Please open the link exactly as you received it.");
            await (await Respondent.Start(Guid.NewGuid(), new SourceView("invitation", Token: token))).Problem(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task An_expired_invitation_is_410_and_cannot_be_started()
    {
        var invitation = await Respondent.Invitation(await Respondent.PublishedSurvey(), days: 3);
        api.Time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromSeconds(1));
        (await (await _client.GetAsync($"/api/public/surveys/by-token/{invitation.Token}")).Problem(HttpStatusCode.Gone))["title"]!.GetValue<string>().ShouldContain("closed");
        await (await Respondent.Start(Guid.NewGuid(), new SourceView("invitation", Token: invitation.Token))).Problem(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task A_response_started_before_expiry_cannot_complete_after_it()
    {
        var invitation = await Respondent.Invitation(await Respondent.PublishedSurvey(), days: 1);
        var id = Guid.NewGuid();
        (await Respondent.Start(id, new SourceView("invitation", Token: invitation.Token))).StatusCode.ShouldBe(HttpStatusCode.Created);
        api.Time.Advance(TimeSpan.FromDays(2));
        await (await Respondent.Complete(id, 1, new { nps = 9 })).Problem(HttpStatusCode.Gone);
    }
}
