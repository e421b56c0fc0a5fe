using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>A respondent who uses only the keyboard answers the embedded survey from the first question to "thank you".</summary>
[Collection(BrowserCollection.Name)]
public class KeyboardTests(BrowserFixture browser)
{
    /// <summary>What has focus inside the widget: "TAG value text".</summary>
    private static Task<string> Focused(IPage page) => page.EvaluateAsync<string>("""
        () => {
          const host = document.activeElement;
          const el = host?.shadowRoot?.activeElement;
          if (!el) return "page:" + (host?.tagName ?? "");
          return el.tagName + " " + (el.value ?? "") + " " + (el.closest("label")?.textContent ?? el.textContent ?? "").trim();
        }
        """);

    [Fact]
    public async Task The_survey_is_completed_with_the_keyboard_alone()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(Inline(questionnaireId));
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/visit"] = Article + "<div id=\"survey\"></div>" });
        await page.GotoAsync(browser.ShopOrigin + "/visit");
        var widget = Widget(page);
        await Assertions.Expect(widget.Locator("legend").First).ToContainTextAsync("How likely are you to recommend Harbour Motors");

        // Tab past the shop's own link into the widget: the first point of the NPS scale
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        (await Focused(page)).ShouldStartWith("INPUT 0");
        // arrow keys move through the scale like any radio group; every choice is saved at once
        for (var i = 0; i < 3; i++) await page.Keyboard.PressAsync("ArrowRight");
        (await Focused(page)).ShouldStartWith("INPUT 3");
        (await widget.Locator("input[name=q0]:checked").InputValueAsync()).ShouldBe("3");
        await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && r[0]!["answers"]?["nps"]?["number"]?.GetValue<int>() == 3);

        // a low score shows the follow-up; its choices are checkboxes: Tab, Space
        await Assertions.Expect(widget.GetByText("What went wrong?")).ToBeVisibleAsync();
        await Assertions.Expect(widget.GetByText("What did you like most?")).ToBeHiddenAsync();
        await page.Keyboard.PressAsync("Tab");
        (await Focused(page)).ShouldStartWith("INPUT wait");
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        (await Focused(page)).ShouldStartWith("BUTTON  Next");
        await page.Keyboard.PressAsync("Enter");

        // page 2: focus lands on its first field; the text pipes the score; "wait" made the comment required
        await Assertions.Expect(widget.GetByText("Page 2 of 2")).ToBeVisibleAsync();
        await Assertions.Expect(widget.Locator("label.lb")).ToContainTextAsync("What would make it a 10 instead of 3?");
        (await Focused(page)).ShouldStartWith("TEXTAREA");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        (await Focused(page)).ShouldStartWith("BUTTON  Submit");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(widget.Locator(".er").First).ToHaveTextAsync("Please answer this question.");
        (await Focused(page)).ShouldStartWith("TEXTAREA"); // back to the question that needs an answer
        await page.Keyboard.TypeAsync("Shorter waiting, please.");
        await Assertions.Expect(widget.Locator(".ct")).ToHaveTextAsync("24 of 500 characters");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(widget.Locator(".th")).ToHaveTextAsync("Thank you for your feedback!");

        var responses = await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && (string?)r[0]!["status"] == "completed");
        var answers = responses[0]!["answers"]!;
        answers["nps"]!["number"]!.GetValue<int>().ShouldBe(3);
        answers["wrong"]!["choices"]!.AsArray().Select(c => (string?)c).ShouldBe(["wait"]);
        ((string?)answers["comment"]!["text"]).ShouldBe("Shorter waiting, please.");
        ((string?)responses[0]!["channel"]).ShouldBe("web");
        ((string?)responses[0]!["pageUrl"]).ShouldBe(browser.ShopOrigin + "/visit");
        ((string?)responses[0]!["source"]!["placementId"]).ShouldBe("inline");
        await page.Context.CloseAsync();
    }
}
