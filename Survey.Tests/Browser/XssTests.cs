using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Authoring;
using Survey.Api.Respondents.Answering;
using Survey.Api.Respondents.Distribution;
using Survey.Domain.Questionnaires;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>
/// 200 hostile strings stored in questionnaire titles, descriptions, question texts, labels and choices (sanitised on write) and
/// in free-text answers (sealed, then read back intact). In Chromium, none executes in the console, the hosted page or the
/// widget: every payload would call <c>__xss(n)</c> (a function the test exposes to the page) or open a dialog.
/// </summary>
[Collection(BrowserCollection.Name)]
public class XssTests(BrowserFixture browser)
{
    private static readonly string[] Templates =
    [
        "<script>__xss({0})</script>",
        "<img src=x onerror=\"__xss({0})\">",
        "<svg onload=\"__xss({0})\"><circle r=1 /></svg>",
        "<a href=\"javascript:__xss({0})\">link {0}</a>",
        "\"><script>__xss({0})</script>",
        "</script><script>__xss({0})</script>",
        "<iframe srcdoc=\"<script>parent.__xss({0})</script>\"></iframe>",
        "<body onload=__xss({0})>",
        "<details open ontoggle=__xss({0})>x</details>",
        "<math><mtext><table><mglyph><style><img src=x onerror=__xss({0})>",
        "'; __xss({0}); var a='",
        "<input autofocus onfocus=__xss({0})>",
        "<object data=\"javascript:__xss({0})\"></object>",
        "<scr<script>ipt>__xss({0})</scr</script>ipt>",
        "<a href=\"jav&#x09;ascript:__xss({0})\">tab {0}</a>",
        "<img src=x onerror=alert({0})>",
        "<svg><animate onbegin=alert({0}) attributeName=x dur=1s>",
        "<p style=\"background:url(javascript:__xss({0}))\" onmouseover=__xss({0})>p {0}</p>",
        "{{{{constructor.constructor('__xss({0})')()}}}}",
        "${{__xss({0})}}",
    ];

    /// <summary>20 kinds × 10 = 200 strings, each calling __xss with its own number.</summary>
    private static List<(int N, string Text)> Payloads() =>
        Enumerable.Range(0, 200).Select(n => (n, string.Format(Templates[n % Templates.Length], n))).ToList();

    private static LocalizedText T(string text) => new() { ["en"] = text, ["zh-CN"] = text };

    private async Task<List<Guid>> HostileQuestionnaires(Queue<string> texts)
    {
        var ids = new List<Guid>();
        for (var i = 0; texts.Count > 0; i++)
        {
            string Next() => "S" + i + " " + (texts.Count > 0 ? texts.Dequeue() : "plain");
            var questions = new[]
            {
                new Question("pick", QuestionType.SingleChoice, T(Next()), Description: T(Next()),
                    Choices: [new("a", T(Next())), new("b", T(Next())), new("c", T(Next())), new("d", T(Next()))]),
                new Question("many", QuestionType.MultipleChoice, T(Next()), Choices: [new("a", T(Next())), new("b", T(Next())), new("c", T(Next()))]),
                new Question("nps", QuestionType.Nps, T(Next()), MinLabel: T(Next()), MaxLabel: T(Next())),
                new Question("comment", QuestionType.FreeText, T(Next()), MaxLength: 2000),
            };
            var request = new CreateQuestionnaireRequest(T("Title " + Next()), "en", ["en", "zh-CN"], T(Next()), questions);
            var created = await (await browser.Client.Send(HttpMethod.Post, "/api/questionnaires", request)).Read<QuestionnaireView>(HttpStatusCode.Created);
            // stored: only the allowlisted tags, no attribute but href, no script URL (escaped text such as "&lt;img onerror" is inert)
            var stored = System.Text.Json.JsonSerializer.Serialize(created.Draft, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            System.Text.RegularExpressions.Regex.Matches(stored, @"<(?!/?(b|i|em|strong|a|br|p|ul|ol|li)[\s>/])[^>]*>?", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                .Select(m => m.Value).ShouldBeEmpty();
            System.Text.RegularExpressions.Regex.Matches(stored, @"<[a-z]+\s[^>]*", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                .Select(m => m.Value).Where(tag => !System.Text.RegularExpressions.Regex.IsMatch(tag, @"^<a href=\\""(https?:|mailto:)[^""\\]*\\""$")).ShouldBeEmpty();
            (await browser.Client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
            ids.Add(created.Id);
        }
        return ids;
    }

    private static async Task Watch(IPage page, ConcurrentBag<string> executed)
    {
        await page.Context.ExposeFunctionAsync("__xss", (int n) => executed.Add($"__xss({n}) on {page.Url}"));
        page.Dialog += async (_, dialog) => { executed.Add($"dialog '{dialog.Message}' on {page.Url}"); await dialog.DismissAsync(); };
    }

    [Fact]
    public async Task Two_hundred_hostile_strings_execute_nowhere_in_the_console_the_hosted_page_or_the_widget()
    {
        var payloads = Payloads();
        var structural = payloads.Where(p => !p.Text.Contains('{')).Select(p => p.Text).ToList(); // braces are piping placeholders in texts: refused there
        var questionnaires = await HostileQuestionnaires(new Queue<string>(structural));
        questionnaires.Count.ShouldBeGreaterThanOrEqualTo(10);
        var executed = new ConcurrentBag<string>();

        // the detector works: the same payloads, written into a page as HTML, do run
        var control = await (await browser.Browser.NewContextAsync()).NewPageAsync();
        await Watch(control, executed);
        await control.SetContentAsync(string.Format(Templates[1], 9001) + string.Format(Templates[15], 9002));
        await control.WaitForTimeoutAsync(300);
        executed.Count.ShouldBe(2);
        executed.Clear();
        await control.Context.CloseAsync();

        // the console lists every title
        var console = await (await browser.Browser.NewContextAsync()).NewPageAsync();
        await Watch(console, executed);
        // signed in as the tenant's administrator, as the console keeps it (sessionStorage of the tab)
        var token = browser.Api.Token(new Survey.Api.Security.DevSignInRequest("xss-admin", Survey.Api.Security.Roles.Administrator, Survey.Api.Storage.Tenancy.DefaultTenant));
        await console.AddInitScriptAsync($"sessionStorage.setItem('survey.accessToken', '{token}')");
        var consoleAnswer = await console.GotoAsync(browser.ApiUrl + "/");
        consoleAnswer!.Headers["content-security-policy"].ShouldNotContain("unsafe-inline");
        await Assertions.Expect(console.Locator("#rows tr").First).ToBeVisibleAsync();
        await Assertions.Expect(console.Locator("#rows")).ToContainTextAsync("Title S" + (questionnaires.Count - 1));
        await console.WaitForTimeoutAsync(300);
        await console.Context.CloseAsync();

        var answers = new Queue<(int N, string Text)>(payloads);
        foreach (var questionnaireId in questionnaires)
        {
            // the hosted page, answered in the browser with hostile free text
            var link = (await (await browser.Client.Send(HttpMethod.Post, "/api/public-links", new CreateLinkRequest(questionnaireId))).Read<LinkView>(HttpStatusCode.Created)).Id;
            var hosted = await (await browser.Browser.NewContextAsync(new() { Locale = "en" })).NewPageAsync();
            await Watch(hosted, executed);
            await hosted.GotoAsync($"{browser.ApiUrl}/s/p/{link}?lang=en");
            var survey = hosted.Locator("main#survey > cx-survey");
            await Assertions.Expect(survey.Locator("h1")).ToContainTextAsync("Title S");
            var typed = answers.Count > 0 ? answers.Dequeue().Text : "plain";
            await survey.Locator("textarea").FillAsync(typed);
            await survey.GetByRole(AriaRole.Radio, new() { Name = "7", Exact = true }).ClickAsync();
            await survey.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
            await Assertions.Expect(survey.Locator(".th")).ToBeVisibleAsync();
            await hosted.WaitForTimeoutAsync(200);
            await hosted.Context.CloseAsync();

            // the widget on the shop's page
            var key = await browser.WidgetKey(Inline(questionnaireId));
            var shop = await browser.Shop(key, new Dictionary<string, string> { [$"/xss-{questionnaireId:N}"] = Article + "<div id=\"survey\"></div>" });
            await Watch(shop, executed);
            await shop.GotoAsync($"{browser.ShopOrigin}/xss-{questionnaireId:N}");
            await Assertions.Expect(Widget(shop).Locator("h2")).ToContainTextAsync("Title S");
            await Widget(shop).Locator("textarea").FillAsync(answers.Count > 0 ? answers.Dequeue().Text : "plain");
            await Widget(shop).GetByRole(AriaRole.Radio, new() { Name = "3", Exact = true }).ClickAsync();
            await shop.WaitForTimeoutAsync(200);
            await shop.Context.CloseAsync();
        }

        // the rest of the 200 as free-text answers through the public API: stored sealed, read back exactly as written
        var respondent = new Respondent(browser.Client);
        var apiLink = (await (await browser.Client.Send(HttpMethod.Post, "/api/public-links", new CreateLinkRequest(questionnaires[0]))).Read<LinkView>(HttpStatusCode.Created)).Id;
        var sent = new Dictionary<Guid, string>();
        while (answers.Count > 0)
        {
            var (_, text) = answers.Dequeue();
            var id = Guid.NewGuid();
            (await respondent.Start(id, new SourceView("link", LinkId: apiLink))).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await respondent.Complete(id, 1, new Dictionary<string, object> { ["comment"] = text })).StatusCode.ShouldBe(HttpStatusCode.OK);
            sent[id] = text;
        }
        foreach (var (id, text) in sent)
            (await (await browser.Client.GetAsync($"/api/responses/{id}")).Read<Survey.Domain.Responses.Response>()).Answers["comment"].Text.ShouldBe(text);

        executed.ShouldBeEmpty();
    }
}
