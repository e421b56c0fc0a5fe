using Microsoft.Playwright;

namespace Survey.Tests.Browser;

/// <summary>The console asks for a sign-in, and after the development sign-in lists the tenant's questionnaires with a bearer token.</summary>
[Collection(BrowserCollection.Name)]
public class ConsoleSignInTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_console_signs_in_and_lists_questionnaires()
    {
        await browser.PublishedSurvey();
        var context = await browser.Browser.NewContextAsync(new() { Locale = "en" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync($"{browser.ApiUrl}/");
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#rows")).ToContainTextAsync("401");

        await page.Locator("#dev-sign-in input[name=user]").FillAsync("chen.jing");
        await page.Locator("#dev-sign-in select[name=role]").SelectOptionAsync("marketer");
        await page.Locator("#dev-sign-in button").ClickAsync();
        await Assertions.Expect(page.Locator("#sign-in")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#rows")).ToContainTextAsync("published");
        await Assertions.Expect(page.Locator("#rows")).Not.ToContainTextAsync("401");
        (await page.EvaluateAsync<string>("sessionStorage.getItem('survey.accessToken')")).ShouldStartWith("ey");
        (await context.CookiesAsync()).ShouldBeEmpty(); // bearer only: nothing a cross-site request could ride on
        errors.ShouldBeEmpty();
        await context.CloseAsync();
    }
}
