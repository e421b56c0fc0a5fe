using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Survey.Api.Respondents.Answering;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

public class HostedPageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();
    private Respondent Respondent => new(_client);

    [Fact]
    public async Task The_invitation_page_shows_the_first_question_without_scripts_under_a_strict_csp()
    {
        var invitation = await Respondent.Invitation(await Respondent.PublishedSurvey());
        var request = new HttpRequestMessage(HttpMethod.Get, $"/s/{invitation.Token}");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9,en;q=0.5");
        var response = await _client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldContain("frame-ancestors 'none'");

        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<html lang=\"zh-CN\">");
        html.ShouldContain("<legend>您向朋友推荐的可能性有多大？</legend>");
        Regex.Matches(html, "<input type=\"radio\" name=\"nps\"").Count.ShouldBe(11);
        html.ShouldContain("<script src=\"/widget/v1/page.js\" type=\"module\"></script>");
        // the only inline script is the JSON payload, which never executes
        Regex.Matches(html, "<script(?![^>]*(src=|type=\"application/json\"))").Count.ShouldBe(0);
        var data = Regex.Match(html, "<script type=\"application/json\" id=\"survey-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var view = JsonSerializer.Deserialize<SurveyView>(data, Http.Json)!;
        view.Source.Token.ShouldBe(invitation.Token);
        view.Locale.ShouldBe("zh-CN");
        view.Questions.Count.ShouldBe(4);
    }

    [Fact]
    public async Task An_open_link_page_renders_and_bad_addresses_get_a_readable_page()
    {
        var link = await Respondent.Link(await Respondent.PublishedSurvey());
        var ok = await _client.GetAsync($"/s/p/{link}?lang=en");
        (await ok.Content.ReadAsStringAsync()).ShouldContain("<legend>How likely are you to recommend ?</legend>");

        var forged = await _client.GetAsync("/s/eyJhdWQiOiJ4In0.AAAA");
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await forged.Content.ReadAsStringAsync()).ShouldContain("This survey link is not valid");
        (await _client.GetAsync("/s/p/unknown-link")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hostile_text_is_encoded_in_the_page()
    {
        var respondent = Respondent;
        var request = Survey.Tests.Api.Questionnaires.QuestionnaireRequests.Create(
            new Survey.Domain.Questionnaires.Question("nps", Survey.Domain.Questionnaires.QuestionType.Nps,
                Survey.Tests.Domain.Questionnaires.Samples.Text("Q <b>bold</b><script>alert(1)</script></script><img src=x onerror=alert(2)>", "好")));
        var created = await (await _client.Send(HttpMethod.Post, "/api/questionnaires", request)).Read<Survey.Api.Questionnaires.QuestionnaireView>(HttpStatusCode.Created);
        (await _client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var link = await respondent.Link(created.Id);
        var html = await (await _client.GetAsync($"/s/p/{link}?lang=en")).Content.ReadAsStringAsync();
        html.ShouldNotContain("<script>alert(1)");
        html.ShouldNotContain("<img src=x");
        html.ShouldContain("Q &lt;b&gt;bold&lt;/b&gt;"); // sanitised on write to the allowlist, then encoded in the page
        Regex.Matches(html, "</script>").Count.ShouldBe(2); // the JSON payload's and page.js's, nothing smuggled in
    }
}
