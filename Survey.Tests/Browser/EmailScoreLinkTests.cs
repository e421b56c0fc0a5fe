using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Authoring;
using Survey.Api.Respondents.Distribution;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Browser;

/// <summary>
/// The 0-10 links of an invitation email (/s/{token}?ch=email&amp;score=N). Mail scanners fetch every link, so neither a GET nor
/// a page left alone records anything; the score shows as chosen and is recorded once the respondent confirms it (docs/channels.md).
/// </summary>
[Collection(BrowserCollection.Name)]
public class EmailScoreLinkTests(BrowserFixture browser)
{
    private async Task<InvitationView> Invitation(Guid questionnaireId) =>
        await (await browser.Client.Send(HttpMethod.Post, "/api/invitations", new CreateInvitationRequest(questionnaireId, "email")))
            .Read<InvitationView>(HttpStatusCode.Created);

    /// <summary>What a scanner gets: a plain GET, no cookies, no scripts run.</summary>
    private async Task<string> Scan(string url)
    {
        using var scanner = new HttpClient();
        var response = await scanner.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static string? Preselect(string html) =>
        Regex.Match(html, "<script type=\"application/json\" id=\"survey-preselect\">(.*?)</script>", RegexOptions.Singleline) is { Success: true } m
            ? m.Groups[1].Value : null;

    private static string[] Checked(string html) =>
        Regex.Matches(html, "<input type=\"radio\" name=\"([^\"]+)\" value=\"([^\"]+)\" checked disabled>").Select(m => m.Groups[1].Value + "=" + m.Groups[2].Value).ToArray();

    /// <summary>A browser page on the hosted survey, noting every write to the respondent API and every problem (CSP, script errors).</summary>
    private async Task<(IPage Page, List<string> Writes, List<string> Problems)> Open(string url)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, Locale = "en-US", IsMobile = true, HasTouch = true });
        var page = await context.NewPageAsync();
        List<string> writes = [], problems = [];
        page.Request += (_, r) => { if (r.Method != "GET") writes.Add($"{r.Method} {r.Url}"); };
        page.Console += (_, m) => { if (m.Type is "error" or "warning" && !m.Text.StartsWith("Failed to load resource")) problems.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico")) problems.Add($"{r.Status} {r.Url}"); };
        page.PageError += (_, e) => problems.Add(e);
        await page.GotoAsync(url);
        return (page, writes, problems);
    }

    private static ILocator Survey(IPage page) => page.Locator("main#survey > cx-survey");

    private static int? Nps(JsonArray responses) => responses[0]!["answers"]?["nps"]?["number"]?.GetValue<int>();

    [Fact]
    public async Task Scanning_every_link_and_opening_one_records_nothing_until_the_respondent_chooses_the_score_again()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var invitation = await Invitation(questionnaireId);
        var url = $"{browser.ApiUrl}/s/{invitation.Token}?ch=email&score=7";

        // a scanner fetches all eleven links: each page shows its score chosen, and nothing is recorded
        for (var n = 0; n <= 10; n++)
        {
            var html = await Scan($"{browser.ApiUrl}/s/{invitation.Token}?ch=email&score={n}");
            Preselect(html).ShouldBe($$"""{"nps":{{n}}}""");
            Checked(html).ShouldBe([$"nps={n}"]);
        }
        (await browser.Responses(questionnaireId)).ShouldBeEmpty();

        // a browser that opens the link and runs the page (some scanners do) but never acts: 7 shows chosen, nothing is sent
        var (page, writes, problems) = await Open(url);
        var survey = Survey(page);
        var seven = survey.GetByRole(AriaRole.Radio, new() { Name = "7", Exact = true });
        await Assertions.Expect(seven).ToBeCheckedAsync();
        (await survey.Locator("input:checked").CountAsync()).ShouldBe(1);
        var group = survey.GetByRole(AriaRole.Radiogroup, new() { Name = "How likely are you to recommend Harbour Motors to a friend?" });
        await Assertions.Expect(group).ToHaveAccessibleDescriptionAsync("7 is not sent yet: choose it again or press “Next” to send it.");
        await Assertions.Expect(survey.GetByText("What would make it")).ToHaveCountAsync(0); // still on page 1
        await page.WaitForTimeoutAsync(1500);
        writes.ShouldBeEmpty();
        (await browser.Responses(questionnaireId)).ShouldBeEmpty();
        await page.ReloadAsync();
        await Assertions.Expect(seven).ToBeCheckedAsync();
        await page.WaitForTimeoutAsync(500);
        writes.ShouldBeEmpty();
        (await browser.Responses(questionnaireId)).ShouldBeEmpty();

        // the respondent taps 7 again: that starts the response and saves it, with the email channel
        await seven.TapAsync();
        var responses = await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && Nps(r) == 7);
        ((string?)responses[0]!["channel"]).ShouldBe("email");
        ((string?)responses[0]!["status"]).ShouldBe("started");
        await Assertions.Expect(group).ToHaveAccessibleDescriptionAsync("");
        await survey.GetByRole(AriaRole.Button, new() { Name = "Next" }).TapAsync();
        await Assertions.Expect(survey.Locator("label.lb")).ToContainTextAsync("instead of 7");
        await survey.GetByRole(AriaRole.Button, new() { Name = "Submit" }).TapAsync();
        await Assertions.Expect(survey.Locator(".th")).ToHaveTextAsync("Thank you for your feedback!");
        responses = await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && (string?)r[0]!["status"] == "completed");
        Nps(responses).ShouldBe(7);
        ((string?)responses[0]!["channel"]).ShouldBe("email");
        problems.ShouldBeEmpty(); // nothing refused by the page's Content-Security-Policy, no script errors

        // answered: a later scan shows "already answered" and preselects nothing
        var after = await Scan(url);
        after.ShouldContain("You have already answered this survey.");
        Preselect(after).ShouldBeNull();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Next_confirms_the_preselected_score_and_another_score_is_one_tap()
    {
        var questionnaireId = await browser.PublishedSurvey();

        var (page, writes, problems) = await Open($"{browser.ApiUrl}/s/{(await Invitation(questionnaireId)).Token}?ch=email&score=3");
        var survey = Survey(page);
        await Assertions.Expect(survey.GetByRole(AriaRole.Radio, new() { Name = "3", Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(survey.GetByText("What went wrong?")).ToBeVisibleAsync(); // the follow-up of a low score, as if tapped
        writes.ShouldBeEmpty();
        await survey.GetByRole(AriaRole.Button, new() { Name = "Next" }).TapAsync();
        await Assertions.Expect(survey.Locator("label.lb")).ToContainTextAsync("instead of 3");
        var responses = await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && Nps(r) == 3);
        ((string?)responses[0]!["channel"]).ShouldBe("email");
        problems.ShouldBeEmpty();
        await page.Context.CloseAsync();

        var other = await browser.PublishedSurvey();
        (page, writes, problems) = await Open($"{browser.ApiUrl}/s/{(await Invitation(other)).Token}?ch=email&score=9");
        survey = Survey(page);
        await Assertions.Expect(survey.GetByRole(AriaRole.Radio, new() { Name = "9", Exact = true })).ToBeCheckedAsync();
        writes.ShouldBeEmpty();
        await survey.GetByRole(AriaRole.Radio, new() { Name = "4", Exact = true }).TapAsync();
        responses = await browser.WaitForResponses(other, r => r.Count == 1 && Nps(r) == 4);
        ((string?)responses[0]!["channel"]).ShouldBe("email");
        await Assertions.Expect(survey.GetByRole(AriaRole.Radio, new() { Name = "9", Exact = true })).Not.ToBeCheckedAsync();
        problems.ShouldBeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_server_preselects_only_an_integer_within_the_first_questions_scale()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var token = (await Invitation(questionnaireId)).Token;
        foreach (var ignored in new[] { "11", "-1", "7.5", "+7", "%207", "seven", "", "7&score=8", "99999999999" })
        {
            var html = await Scan($"{browser.ApiUrl}/s/{token}?ch=email&score={ignored}");
            Preselect(html).ShouldBeNull(ignored);
            Checked(html).ShouldBeEmpty(ignored);
            html.ShouldContain("<legend>How likely are you to recommend Harbour Motors to a friend?</legend>");
            Regex.Matches(html, "</script>").Count.ShouldBe(2, ignored); // survey-data and page.js only
        }
        var zero = await Scan($"{browser.ApiUrl}/s/{token}?score=0");
        Preselect(zero).ShouldBe("""{"nps":0}""");
        Checked(zero).ShouldBe(["nps=0"]);
        // the preselect element never executes and is encoded like survey-data
        Regex.Matches(zero, "<script(?![^>]*(src=|type=\"application/json\"))").Count.ShouldBe(0);

        // an open link works the same way
        var link = (await (await browser.Client.Send(HttpMethod.Post, "/api/public-links", new CreateLinkRequest(questionnaireId)))
            .Read<LinkView>(HttpStatusCode.Created)).Id;
        Preselect(await Scan($"{browser.ApiUrl}/s/p/{link}?score=10")).ShouldBe("""{"nps":10}""");

        // a first question that is no scale takes no score
        var choiceFirst = new CreateQuestionnaireRequest(Text("Quick question", "一个问题"), "en", ["en", "zh-CN"], null,
        [
            new Question("visit", QuestionType.SingleChoice, Text("Why did you come?", "您为何而来？"), Choices: [new("service", Text("Service", "保养")), new("repair", Text("Repair", "维修"))]),
            new Question("nps", QuestionType.Nps, Text("How likely are you to recommend us?", "您推荐我们的可能性有多大？")),
        ]);
        var created = await (await browser.Client.Send(HttpMethod.Post, "/api/questionnaires", choiceFirst)).Read<QuestionnaireView>(HttpStatusCode.Created);
        (await browser.Client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var html2 = await Scan($"{browser.ApiUrl}/s/{(await Invitation(created.Id)).Token}?ch=email&score=1");
        Preselect(html2).ShouldBeNull();
        html2.ShouldNotContain(" checked");
        (await browser.Responses(questionnaireId)).ShouldBeEmpty();
        (await browser.Responses(created.Id)).ShouldBeEmpty();
    }
}
