using System.Text.Json;
using Microsoft.Playwright;
using Survey.Api.Respondents.Distribution;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>axe-core (WCAG 2.1 A and AA rules) finds nothing serious or critical in the widget, in any state or mode.</summary>
[Collection(BrowserCollection.Name)]
public class AccessibilityTests(BrowserFixture browser)
{
    private static readonly string AxePath = Path.Combine(RepoRoot, "Survey.Widgets", "node_modules", "axe-core", "axe.min.js");

    /// <summary>Serious and critical violations inside the widget, as "rule (impact): targets".</summary>
    private async Task<List<string>> Violations(IPage page, string state)
    {
        await page.WaitForTimeoutAsync(400); // let colour transitions finish, or contrast is measured between two states
        if (!await page.EvaluateAsync<bool>("() => typeof axe !== 'undefined'")) await page.AddScriptTagAsync(new() { Path = AxePath });
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document.querySelector("cx-survey"), {
                runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }, resultTypes: ["violations"] });
              return r.violations.map(v => ({ id: v.id, impact: v.impact, targets: v.nodes.map(n => JSON.stringify(n.target)).join(", ") }));
            }
            """);
        var all = result.EnumerateArray().Select(v => $"{state}: {v.GetProperty("id")} ({v.GetProperty("impact")}): {v.GetProperty("targets")}").ToList();
        browser.Log.AddRange(all);
        return all.Where(v => v.Contains("(serious)") || v.Contains("(critical)")).ToList();
    }

    [Fact]
    public async Task The_inline_survey_has_no_serious_or_critical_violations_while_answering_with_errors_or_when_done()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(Inline(questionnaireId));
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/a11y"] = Article + "<div id=\"survey\"></div>" });
        await page.GotoAsync(browser.ShopOrigin + "/a11y");
        var widget = Widget(page);
        await Assertions.Expect(widget.Locator("legend").First).ToBeVisibleAsync();
        var found = await Violations(page, "first question");

        await widget.GetByRole(AriaRole.Radio, new() { Name = "2", Exact = true }).ClickAsync();
        await widget.GetByRole(AriaRole.Checkbox, new() { Name = "Waiting time" }).ClickAsync();
        found.AddRange(await Violations(page, "follow-up shown"));
        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(widget.Locator(".er")).ToHaveTextAsync("Please answer this question.");
        found.AddRange(await Violations(page, "required error"));
        await widget.Locator("textarea").FillAsync("Faster, please.");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(widget.Locator(".th")).ToBeVisibleAsync();
        found.AddRange(await Violations(page, "thank you"));
        browser.DumpLog("a11y-inline");
        found.ShouldBeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_popover_and_the_slide_in_in_chinese_have_no_serious_or_critical_violations()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(
            new Placement("pop", questionnaireId, PlacementMode.Popover, new ShowRules(UrlPattern: "/pop"), Theme: new Theme(PrimaryColor: "#f59e0b", Radius: 16)),
            new Placement("side", questionnaireId, PlacementMode.SlideIn, new ShowRules(UrlPattern: "/side"), Theme: new Theme("#0f766e", "#0b1220", "#e5e7eb")));
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/pop"] = Article, ["/side"] = Article }, lang: "zh-CN");
        await page.GotoAsync(browser.ShopOrigin + "/pop");
        var widget = Widget(page);
        await Assertions.Expect(widget.Locator("legend").First).ToContainTextAsync("海港汽车");
        await widget.GetByRole(AriaRole.Radio, new() { Name = "10 非常可能", Exact = true }).ClickAsync();
        var found = await Violations(page, "popover (light primary)");

        await page.GotoAsync(browser.ShopOrigin + "/side");
        await Assertions.Expect(widget.Locator("legend").First).ToContainTextAsync("海港汽车");
        await widget.GetByRole(AriaRole.Radio, new() { Name = "6", Exact = true }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "下一页" }).ClickAsync();
        found.AddRange(await Violations(page, "slide-in (dark theme)"));
        browser.DumpLog("a11y-modes");
        found.ShouldBeEmpty();
        await page.Context.CloseAsync();
    }
}
