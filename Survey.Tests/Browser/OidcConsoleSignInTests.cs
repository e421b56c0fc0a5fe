using Microsoft.Playwright;
using Survey.Api.Security;
using Survey.Tests.Api.Security;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Browser;

/// <summary>The API with an OpenID Connect authority (the stand-in provider) and the console's public client id; and chromium.</summary>
public sealed class OidcConsoleFixture : ApiFixture, IAsyncLifetime
{
    public LocalIdentityProvider Provider { get; } = new();
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;
    public string ApiUrl { get; private set; } = "";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(Provider.ApiSettings())
    {
        ["Security:ConsoleClientId"] = LocalIdentityProvider.ConsoleClientId,
        ["Security:ConsoleScope"] = "openid profile api://survey/.default",
    };

    protected override DevSignInRequest? DefaultUser => null;

    public async Task InitializeAsync()
    {
        Provider.Clock = () => Time.GetUtcNow();
        ApiUrl = CreateClient().BaseAddress!.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// With an authority configured, the console signs people in with the authorization code flow and PKCE: no development form,
/// a round trip to the provider, a token only for the verifier the console made, and a refused sign-in it did not start.
/// </summary>
public class OidcConsoleSignInTests(OidcConsoleFixture api) : IClassFixture<OidcConsoleFixture>
{
    [Fact]
    public async Task The_console_signs_in_at_the_organisations_provider_with_pkce()
    {
        var context = await api.Browser.NewContextAsync(new() { Locale = "en" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync($"{api.ApiUrl}/");
        await Assertions.Expect(page.Locator("#org-sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dev-sign-in")).ToBeHiddenAsync();
        await page.Locator("#org-sign-in button").ClickAsync();

        await Assertions.Expect(page.Locator("#sign-in")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#rows")).ToContainTextAsync("No questionnaires yet");
        page.Url.ShouldBe($"{api.ApiUrl}/", "the code does not stay in the address bar");
        var token = await page.EvaluateAsync<string>("sessionStorage.getItem('survey.accessToken')");
        token.ShouldStartWith("ey");
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('survey.pkce')")).ShouldBeNull();
        api.Provider.Seen.ShouldContain(s => s.Contains("method=S256") && s.Contains($"client_id={LocalIdentityProvider.ConsoleClientId}") && s.Contains("api://survey/.default"));
        api.Provider.Seen.ShouldContain("token grant_type=authorization_code known=True verified=True");
        (await context.CookiesAsync()).ShouldBeEmpty();
        errors.ShouldBeEmpty();

        // the token works for the API as the provider's user (a marketer of brand-a)
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await client.GetAsync("/api/questionnaires")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_code_that_comes_back_without_the_sign_in_the_console_started_is_refused()
    {
        var context = await api.Browser.NewContextAsync(new() { Locale = "en" });
        var page = await context.NewPageAsync();
        var before = api.Provider.Seen.Count;

        // e.g. an attacker's link with their own code (login CSRF): no state of ours, so no token exchange at all
        await page.GotoAsync($"{api.ApiUrl}/?code=stolen-or-forged&state=not-ours");
        await Assertions.Expect(page.Locator("#sign-in-status")).ToContainTextAsync("not started from this page");
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('survey.accessToken')")).ShouldBeNull();
        page.Url.ShouldBe($"{api.ApiUrl}/");
        api.Provider.Seen.Skip(before).ShouldNotContain(s => s.StartsWith("token"));

        // the provider refusing (the user cancelled) is said plainly
        await page.GotoAsync($"{api.ApiUrl}/?error=access_denied&error_description=The%20user%20cancelled");
        await Assertions.Expect(page.Locator("#sign-in-status")).ToContainTextAsync("The user cancelled");
        await context.CloseAsync();
    }
}
