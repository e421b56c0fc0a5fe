using Microsoft.Playwright;
using Survey.Api.Respondents.Distribution;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>Pictures of the widget in each mode for docs/widget.md (docs/screenshots/widget-*.png), taken from real runs.</summary>
[Collection(BrowserCollection.Name)]
public class ScreenshotTests(BrowserFixture browser)
{
    private static string Shot(string name)
    {
        var dir = Path.Combine(RepoRoot, "docs", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"widget-{name}.png");
    }

    private const string Story = """
        <h1>Thank you for your visit</h1>
        <div class="card"><p>Your car was serviced on 2 November at Harbour Motors Pudong. The invoice and the technician's notes are in your account.</p></div>
        <div id="survey" style="margin-bottom: 20px"></div>
        <div class="card"><p>Next service due in 10,000 km.</p></div>
        """;

    [Fact]
    public async Task Each_mode_is_pictured_for_the_docs()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(
            Inline(questionnaireId),
            new Placement("popover", questionnaireId, PlacementMode.Popover, new ShowRules(UrlPattern: "/popover")),
            new Placement("slide", questionnaireId, PlacementMode.SlideIn, new ShowRules(UrlPattern: "/slide-in"), Theme: new Theme(PrimaryColor: "#0f766e", Radius: 14)));

        // inline, in the page's flow, after a low score showed the follow-up
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/inline"] = Story }, 1280, 900);
        await page.GotoAsync(browser.ShopOrigin + "/inline");
        var widget = Widget(page);
        await widget.GetByRole(AriaRole.Radio, new() { Name = "6", Exact = true }).ClickAsync();
        await widget.GetByRole(AriaRole.Checkbox, new() { Name = "Waiting time" }).ClickAsync();
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Shot("inline"), FullPage = true });
        await page.Context.CloseAsync();

        // popover, in Chinese, on a promoter's follow-up
        page = await browser.Shop(key, new Dictionary<string, string> { ["/popover"] = Article }, 1280, 800, "zh-CN");
        await page.GotoAsync(browser.ShopOrigin + "/popover");
        widget = Widget(page);
        await widget.GetByRole(AriaRole.Radio, new() { Name = "9", Exact = true }).ClickAsync();
        await widget.GetByRole(AriaRole.Radio, new() { Name = "服务人员热情" }).ClickAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Shot("popover") });
        await page.Context.CloseAsync();

        // slide-in, in the corner, on page 2 with the piped score
        page = await browser.Shop(key, new Dictionary<string, string> { ["/slide-in"] = Article }, 1280, 800);
        await page.GotoAsync(browser.ShopOrigin + "/slide-in");
        widget = Widget(page);
        await widget.GetByRole(AriaRole.Radio, new() { Name = "8", Exact = true }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await widget.Locator("textarea").FillAsync("A courtesy car while I wait.");
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Shot("slide-in") });
        await page.Context.CloseAsync();

        // 320 px wide: the inline survey on a small phone, with a validation error showing
        page = await browser.Shop(key, new Dictionary<string, string> { ["/phone"] = "<div id=\"survey\"></div>" }, 320, 640);
        await page.GotoAsync(browser.ShopOrigin + "/phone");
        widget = Widget(page);
        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(widget.Locator(".er").First).ToBeVisibleAsync();
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(320); // no sideways scrolling
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Shot("320"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
