using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Survey.Api.Respondents.Distribution;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>Never lose an answer: the network drops mid-survey, the page is reloaded, and the response still arrives whole, once.</summary>
[Collection(BrowserCollection.Name)]
public class OfflineTests(BrowserFixture browser)
{
    private static bool Completed(JsonArray r) => r.Count == 1 && (string?)r[0]!["status"] == "completed";

    [Fact]
    public async Task Answers_given_offline_are_sent_when_the_network_returns_and_the_response_arrives_complete_exactly_once()
    {
        var questionnaireId = await browser.PublishedSurvey();
        // a popover shown after an event the page sends before the loader has even arrived
        var key = await browser.WidgetKey(new Placement("checkout", questionnaireId, PlacementMode.Popover, new ShowRules(Event: "checkout_completed")));
        const string track = """
            <script>
              window.surveyWidget = window.surveyWidget || { q: [], track: function () { this.q.push(["track", arguments]); } };
              surveyWidget.track("checkout_completed", { orderId: "A-1001" });
            </script>
            """;
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/checkout/done"] = Article + track });
        await page.GotoAsync(browser.ShopOrigin + "/checkout/done");
        var widget = Widget(page);
        await Assertions.Expect(widget.Locator("dialog")).ToBeVisibleAsync();

        await widget.GetByRole(AriaRole.Radio, new() { Name = "9", Exact = true }).ClickAsync();
        await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && r[0]!["answers"]?["nps"]?["number"]?.GetValue<int>() == 9);

        await page.Context.SetOfflineAsync(true);
        await widget.GetByRole(AriaRole.Radio, new() { Name = "Friendly staff" }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await widget.Locator("textarea").FillAsync("Nothing, it was great.");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(widget.Locator(".th")).ToHaveTextAsync("Thank you for your feedback!");
        await Assertions.Expect(widget.GetByRole(AriaRole.Status)).ToContainTextAsync("will be sent when you are back online");
        await page.WaitForTimeoutAsync(1500);
        var meanwhile = await browser.Responses(questionnaireId);
        ((string?)meanwhile[0]!["status"]).ShouldBe("started");
        meanwhile[0]!["answers"]!.AsObject().Select(a => a.Key).ShouldBe(["nps"]);

        await page.Context.SetOfflineAsync(false);
        var responses = await browser.WaitForResponses(questionnaireId, Completed);
        await Assertions.Expect(widget.Locator(".st")).ToBeEmptyAsync();
        var answers = responses[0]!["answers"]!;
        answers["nps"]!["number"]!.GetValue<int>().ShouldBe(9);
        ((string?)answers["best"]!["text"]).ShouldBe("staff");
        ((string?)answers["comment"]!["text"]).ShouldBe("Nothing, it was great.");
        // save 1 (the tap on 9), save 2 (page 1), completion 3 with page 2's answers; nothing twice, nothing left behind
        responses[0]!["saves"]!.AsObject().Select(s => s.Key).ShouldBe(["1", "2", "3"]);
        responses[0]!["completedSequence"]!.GetValue<int>().ShouldBe(3);
        (await page.EvaluateAsync<string?>("() => localStorage.getItem('sw:q')")).ShouldBeNull();
        await page.WaitForTimeoutAsync(500);
        (await browser.Responses(questionnaireId)).Count.ShouldBe(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reload_resumes_the_same_response_on_the_same_page_with_what_was_typed()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(Inline(questionnaireId));
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/resume"] = Article + "<div id=\"survey\"></div>" });
        await page.GotoAsync(browser.ShopOrigin + "/resume");
        var widget = Widget(page);
        await widget.GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true }).ClickAsync();
        await widget.GetByRole(AriaRole.Checkbox, new() { Name = "Price" }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.Context.SetOfflineAsync(true);
        await widget.Locator("textarea").FillAsync("Typed while offline, then the page was reloaded.");

        await page.Context.SetOfflineAsync(false);
        await page.ReloadAsync();
        await Assertions.Expect(widget.GetByText("Page 2 of 2")).ToBeVisibleAsync();
        await Assertions.Expect(widget.Locator("textarea")).ToHaveValueAsync("Typed while offline, then the page was reloaded.");
        await Assertions.Expect(widget.Locator("label.lb")).ToContainTextAsync("instead of 5?");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await Assertions.Expect(widget.Locator("input[value=price]")).ToBeCheckedAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(widget.Locator(".th")).ToBeVisibleAsync();

        var responses = await browser.WaitForResponses(questionnaireId, Completed);
        ((string?)responses[0]!["answers"]!["comment"]!["text"]).ShouldBe("Typed while offline, then the page was reloaded.");
        responses[0]!["answers"]!["wrong"]!["choices"]!.AsArray().Select(c => (string?)c).ShouldBe(["price"]);
        // finished: the state is gone and the placement rests; another visit shows nothing
        await page.ReloadAsync();
        await page.WaitForTimeoutAsync(1000);
        (await Widget(page).CountAsync()).ShouldBe(0);
        (await page.EvaluateAsync<string?>($"() => localStorage.getItem('sw:r:k:{key}:inline')")).ShouldNotBeNull();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Escape_dismisses_the_popover_and_the_placement_stays_quiet_here_and_on_the_server()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(new Placement("later", questionnaireId, PlacementMode.Popover, new ShowRules(AfterSeconds: 1), RecontactDays: 30));
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/home"] = Article });
        await page.GotoAsync(browser.ShopOrigin + "/home");
        var dialog = Widget(page).Locator("dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // focus is trapped in the popover: Tab and Shift+Tab go round its controls, never out to the page
        for (var i = 0; i < 8; i++)
        {
            await page.Keyboard.PressAsync(i < 5 ? "Tab" : "Shift+Tab");
            (await page.EvaluateAsync<string>("() => document.activeElement.tagName + '>' + document.activeElement.shadowRoot?.activeElement?.tagName"))
                .ShouldBeOneOf("CX-SURVEY>INPUT", "CX-SURVEY>BUTTON");
        }
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Widget(page)).ToHaveCountAsync(0);

        var visitor = await page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('sw:v'))");
        var until = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage answer;
        do answer = await browser.Client.GetAsync($"/api/public/surveys/by-key/{key}/later?visitorId={visitor}");
        while (answer.StatusCode != System.Net.HttpStatusCode.Conflict && DateTime.UtcNow < until && await Task.Delay(200).ContinueWith(_ => true));
        answer.StatusCode.ShouldBe(System.Net.HttpStatusCode.Conflict);

        await page.ReloadAsync();
        await page.WaitForTimeoutAsync(2000);
        (await Widget(page).CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }
}
