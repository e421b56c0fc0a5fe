using Microsoft.Playwright;
using Survey.Tests.Infrastructure;
using Survey.Api.Respondents.Distribution;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>The hosted survey page (/s/p/{linkId}): page.js replaces the server's first question with the full survey, under the page's strict CSP.</summary>
[Collection(BrowserCollection.Name)]
public class HostedPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_sms_link_opens_the_full_survey_in_chinese_and_completes_with_the_sms_channel()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var link = (await (await browser.Client.Send(HttpMethod.Post, "/api/public-links", new CreateLinkRequest(questionnaireId)))
            .Read<LinkView>(System.Net.HttpStatusCode.Created)).Id;
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, Locale = "zh-CN", IsMobile = true, HasTouch = true });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning" && !m.Text.StartsWith("Failed to load resource")) problems.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico")) problems.Add($"{r.Status} {r.Url}"); };
        page.PageError += (_, e) => problems.Add(e);

        await page.GotoAsync($"{browser.ApiUrl}/s/p/{link}?ch=sms");
        var survey = page.Locator("main#survey > cx-survey");
        await Assertions.Expect(survey.Locator("h1")).ToHaveTextAsync("您在海港汽车的体验");
        (await page.Locator("main#survey > fieldset").CountAsync()).ShouldBe(0); // the server's first question is replaced
        await survey.GetByRole(AriaRole.Radio, new() { Name = "10 非常可能" }).TapAsync();
        await survey.GetByRole(AriaRole.Radio, new() { Name = "速度" }).TapAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoRoot, "docs", "screenshots", "widget-page.png"), FullPage = true });
        await survey.GetByRole(AriaRole.Button, new() { Name = "下一页" }).TapAsync();
        await Assertions.Expect(survey.Locator("label.lb")).ToContainTextAsync("而不是 10 分");
        await survey.Locator("textarea").FillAsync("没有了，很满意。");
        await survey.GetByRole(AriaRole.Button, new() { Name = "提交" }).TapAsync();
        await Assertions.Expect(survey.Locator(".th")).ToHaveTextAsync("感谢您的反馈！");

        var responses = await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && (string?)r[0]!["status"] == "completed");
        ((string?)responses[0]!["channel"]).ShouldBe("sms");
        ((string?)responses[0]!["locale"]).ShouldBe("zh-CN");
        ((string?)responses[0]!["device"]).ShouldBe("mobile");
        ((string?)responses[0]!["source"]!["linkId"]).ShouldBe(link);
        ((string?)responses[0]!["answers"]!["best"]!["text"]).ShouldBe("speed");
        problems.ShouldBeEmpty(); // nothing refused by the page's Content-Security-Policy, no script errors
        await context.CloseAsync();
    }
}
