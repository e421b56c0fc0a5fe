using Microsoft.Playwright;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>The widget renders in a shadow root: a host page's CSS, however aggressive, changes nothing inside it.</summary>
[Collection(BrowserCollection.Name)]
public class IsolationTests(BrowserFixture browser)
{
    private const string Hostile = """
        <style>
          * { all: unset !important; font-size: 40px !important; font-family: "Comic Sans MS", fantasy !important; color: #f0f !important;
              background: #ff0 !important; line-height: 3 !important; letter-spacing: 4px !important; box-sizing: content-box !important;
              text-transform: uppercase !important; text-align: right !important; }
          div, section, dialog, fieldset, legend, label, span, p, h2, button, input, textarea, form {
              display: inline !important; margin: 20px !important; padding: 20px !important; border: 5px dashed red !important; }
          input, button, textarea, dialog { display: none !important; }
          :root { --p: red !important; --bg: black !important; --fg: lime !important; --f: fantasy !important; --r: 40px !important; }
        </style>
        """;

    // Computed styles of the widget's parts; heights only where they do not depend on the container's width.
    private const string Styles = """
        () => {
          const root = document.querySelector("cx-survey").shadowRoot;
          const props = ["display", "font-size", "font-family", "font-weight", "line-height", "letter-spacing", "text-transform", "text-align",
            "color", "background-color", "padding-top", "padding-left", "margin-top", "border-top-width", "border-top-style",
            "border-top-color", "border-top-left-radius", "box-sizing", "visibility", "opacity"];
          const parts = [".w", ".sv", "h2", ".ds", ".pg", "legend", ".sc", ".sc label", ".sc span", ".sc input", ".en", ".ch span",
            ".ch input", "button[type=submit]"];
          const fixed = [".sc span", "button[type=submit]"];
          return parts.map(sel => {
            const el = root.querySelector(sel);
            if (!el) return sel + " missing";
            const cs = getComputedStyle(el);
            return sel + " " + props.map(p => p + "=" + cs.getPropertyValue(p)).join("; ")
              + (fixed.includes(sel) ? "; height=" + el.getBoundingClientRect().height : "");
          });
        }
        """;

    private async Task<string[]> Render(string key, string path, string extra)
    {
        var page = await browser.Shop(key, new Dictionary<string, string> { [path] = extra + Article + "<div id=\"survey\"></div>" });
        await page.GotoAsync(browser.ShopOrigin + path);
        var widget = Widget(page);
        await widget.GetByRole(AriaRole.Radio, new() { Name = "4", Exact = true }).ClickAsync();
        await Assertions.Expect(widget.GetByText("What went wrong?")).ToBeVisibleAsync();
        var styles = await page.EvaluateAsync<string[]>(Styles);
        if (extra.Length > 0)
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "widget-on-hostile-page.png"), FullPage = true });
        await page.Context.CloseAsync();
        return styles;
    }

    [Fact]
    public async Task Aggressive_global_css_on_the_host_page_does_not_change_the_widget()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(Inline(questionnaireId));
        var plain = await Render(key, "/plain", "");
        var hostile = await Render(key, "/hostile", Hostile);

        plain.ShouldNotContain(s => s.EndsWith(" missing"));
        plain.First(s => s.StartsWith("h2 ")).ShouldContain("font-size=20px");
        plain.First(s => s.StartsWith(".sc span ")).ShouldContain("height=44");
        for (var i = 0; i < plain.Length; i++) hostile[i].ShouldBe(plain[i]);
    }
}
