using Microsoft.Playwright;
using static Survey.Tests.Browser.BrowserFixture;

namespace Survey.Tests.Browser;

/// <summary>When the server refuses answers (400 with errors keyed by question id), the widget shows its words next to the question.</summary>
[Collection(BrowserCollection.Name)]
public class ServerErrorTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_refused_submission_goes_back_to_the_question_with_the_servers_message_and_can_then_be_sent()
    {
        var questionnaireId = await browser.PublishedSurvey();
        var key = await browser.WidgetKey(Inline(questionnaireId));
        var page = await browser.Shop(key, new Dictionary<string, string> { ["/refused"] = Article + "<div id=\"survey\"></div>" });
        // the first completion is answered as the server answers a problem with an earlier page's answer
        var refused = 0;
        await page.RouteAsync("**/complete", async route =>
        {
            if (route.Request.Method != "POST" || refused++ > 0)
            {
                await route.FallbackAsync();
                return;
            }
            await route.FulfillAsync(new()
            {
                Status = 400, ContentType = "application/problem+json",
                Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = browser.ShopOrigin },
                Body = """{"title":"Some answers need another look.","status":400,"errors":{"wrong":["Choose at most 2."]}}""",
            });
        });
        await page.GotoAsync(browser.ShopOrigin + "/refused");
        var widget = Widget(page);
        await widget.GetByRole(AriaRole.Radio, new() { Name = "4", Exact = true }).ClickAsync();
        await widget.GetByRole(AriaRole.Checkbox, new() { Name = "Price" }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();

        await Assertions.Expect(widget.GetByText("Page 1 of 2")).ToBeVisibleAsync();
        var group = widget.GetByRole(AriaRole.Group, new() { Name = "What went wrong?" });
        await Assertions.Expect(group.Locator(".er")).ToHaveTextAsync("Choose at most 2.");
        await Assertions.Expect(group).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(widget.Locator("input[value=price]")).ToBeCheckedAsync(); // nothing the respondent gave is lost

        await widget.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await widget.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(widget.Locator(".th")).ToBeVisibleAsync();
        var responses = await browser.WaitForResponses(questionnaireId, r => r.Count == 1 && (string?)r[0]!["status"] == "completed");
        responses[0]!["answers"]!["wrong"]!["choices"]!.AsArray().Select(c => (string?)c).ShouldBe(["price"]);
        refused.ShouldBe(2);
        await page.Context.CloseAsync();
    }
}
