using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Survey.Api.Questionnaires;
using Survey.Api.Questionnaires.Authoring;
using Survey.Api.Respondents.Distribution;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// The real API (Kestrel on 127.0.0.1, fresh database) and Debian's chromium driven by Playwright. The shop that embeds the
/// widget lives on another origin: a second Kestrel on 127.0.0.1 serving pages from memory.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _pages = new();
    private WebApplication? _shop;

    /// <summary>The shop's origin: another port on 127.0.0.1 (so another origin, in the same address space as the API).</summary>
    public string ShopOrigin { get; private set; } = "";

    public ApiFixture Api { get; } = new();
    public HttpClient Client { get; private set; } = null!;
    public string ApiUrl => Client.BaseAddress!.ToString().TrimEnd('/');
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = Api.CreateClient();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _shop = builder.Build();
        _shop.Run(async http =>
        {
            if (_pages.TryGetValue(http.Request.Path.Value ?? "", out var html))
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(html);
            }
            else http.Response.StatusCode = 404;
        });
        await _shop.StartAsync();
        ShopOrigin = _shop.Urls.First().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        if (_shop is not null) await _shop.DisposeAsync();
        _playwright?.Dispose();
        await Api.DisposeAsync();
    }

    /// <summary>What the browser said (console, errors, requests), written to TestResults/browser.log by <see cref="DumpLog"/>.</summary>
    public List<string> Log { get; } = [];

    public void DumpLog(string name) =>
        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, $"browser-{name}.log"), Log);

    /// <summary>The repository root (where Survey.sln is), for docs/ and Survey.Widgets/node_modules.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Survey.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Survey.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// An after-sales survey in English and Chinese: nps (required) -> wrong (nps &lt;= 6, up to 2) or best (nps &gt;= 9) on page 1;
    /// comment on page 2, required when "wait" was chosen, whose text pipes the score.
    /// </summary>
    public async Task<Guid> PublishedSurvey()
    {
        var questions = new[]
        {
            new Question("nps", QuestionType.Nps, Text("How likely are you to recommend Harbour Motors to a friend?", "您向朋友推荐海港汽车的可能性有多大？"), Required: true,
                MinLabel: Text("Not at all likely", "完全不可能"), MaxLabel: Text("Extremely likely", "非常可能")),
            new Question("wrong", QuestionType.MultipleChoice, Text("What went wrong?", "哪里做得不好？"), VisibleIf: "{nps} <= 6", MaxChoices: 2,
                Choices: [new("wait", Text("Waiting time", "等待时间")), new("price", Text("Price", "价格")), new("staff", Text("Staff", "服务人员")), new("repair", Text("Quality of the repair", "维修质量"))]),
            new Question("best", QuestionType.SingleChoice, Text("What did you like most?", "您最满意哪一点？"), VisibleIf: "{nps} >= 9",
                Choices: [new("speed", Text("Speed", "速度")), new("staff", Text("Friendly staff", "服务人员热情")), new("lounge", Text("The lounge", "休息区"))]),
            new Question("comment", QuestionType.FreeText, Text("What would make it a 10 instead of {nps}?", "怎样才能让您打 10 分而不是 {nps} 分？"),
                RequiredIf: "{wrong} contains 'wait'", MaxLength: 500, Page: 2),
        };
        var request = new CreateQuestionnaireRequest(Text("Your visit to Harbour Motors", "您在海港汽车的体验"), "en", ["en", "zh-CN"],
            Text("Two minutes, two pages.", "只需两分钟，共两页。"), questions);
        var created = await (await Client.Send(HttpMethod.Post, "/api/questionnaires", request)).Read<QuestionnaireView>(HttpStatusCode.Created);
        (await Client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return created.Id;
    }

    /// <summary>A widget key for the shop with the given placements.</summary>
    public async Task<string> WidgetKey(params Placement[] placements) =>
        (await (await Client.Send(HttpMethod.Post, "/api/widget-keys", new WidgetKeyRequest("Shop", [ShopOrigin], placements)))
            .Read<WidgetKey>(HttpStatusCode.Created)).Id;

    /// <summary>The responses of a questionnaire as the console reads them.</summary>
    public async Task<JsonArray> Responses(Guid questionnaireId)
    {
        var page = JsonNode.Parse(await Client.GetStringAsync($"/api/responses?questionnaireId={questionnaireId}"))!.AsObject();
        return (page["items"] ?? page["Items"])!.AsArray();
    }

    /// <summary>Polls until the condition holds over the questionnaire's responses (the browser sends on its own schedule).</summary>
    public async Task<JsonArray> WaitForResponses(Guid questionnaireId, Func<JsonArray, bool> condition, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var responses = await Responses(questionnaireId);
            if (condition(responses)) return responses;
            if (DateTime.UtcNow > until) throw new ShouldAssertException($"Responses never got there: {responses.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// A browser context and page on the shop, whose pages (path -> main content) embed the widget with this key. A new
    /// context each time: its own localStorage, as a new visitor.
    /// </summary>
    public async Task<IPage> Shop(string key, IReadOnlyDictionary<string, string> pages, int width = 1280, int height = 800, string lang = "en")
    {
        foreach (var (path, content) in pages) _pages[path] = ShopPage(content, key, lang);
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = lang, ColorScheme = ColorScheme.Light });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => Log.Add($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Log.Add($"page error: {error}");
        page.RequestFailed += (_, request) => Log.Add($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.Response += (_, response) => Log.Add($"{response.Status} {response.Request.Method} {response.Url}");
        return page;
    }

    /// <summary>A plausible shop page: header, content, the one-line embed at the end.</summary>
    public string ShopPage(string content, string key, string lang) => $$"""
        <!doctype html>
        <html lang="{{lang}}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Harbour Motors</title>
        <style>
          body { margin: 0; font: 16px/1.6 Georgia, serif; color: #333; background: #f4f1ea; }
          header { background: #2b2b2b; color: #fff; padding: 14px 24px; font: bold 20px sans-serif; }
          header a { color: #fff; margin-left: 24px; font-weight: normal; font-size: 15px; }
          main { max-width: 760px; margin: 0 auto; padding: 24px; }
          .card { background: #fff; padding: 16px 20px; border-radius: 4px; margin-bottom: 20px; }
        </style></head>
        <body>
        <header>Harbour Motors <a href="/">Home</a></header>
        <main>{{content}}</main>
        <script src="{{ApiUrl}}/widget/v1/loader.js" data-key="{{key}}" async></script>
        </body>
        </html>
        """;

    public const string Article = """
        <h1>Thank you for your visit</h1>
        <div class="card"><p>Your car was serviced on 2 November. The invoice is in your account.</p></div>
        """;

    /// <summary>The survey's shadow root content is reachable with CSS locators (Playwright pierces open shadow roots).</summary>
    public static ILocator Widget(IPage page) => page.Locator("cx-survey");

    public static Placement Inline(Guid questionnaireId, string id = "inline") =>
        new(id, questionnaireId, PlacementMode.Inline, new ShowRules(), Container: "#survey", RecontactDays: 30);
}
