using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Respondents.HostedPage;

/// <summary>
/// The hosted survey page for SMS and email links: <c>/s/{token}</c> and <c>/s/p/{linkId}</c>. The first question is rendered
/// on the server so it shows before any script runs; <c>/widget/v1/page.js</c> then mounts the full survey from the embedded
/// render payload. Strict CSP: scripts and styles only from this origin, no inline code, not framable.
/// <para>
/// <c>?score=N</c> (the 0-10 links of an invitation email) preselects N on the first question when that is a scale question and N
/// is within its scale: the radio is <c>checked</c> in the markup and <c>{"questionId": N}</c> goes into
/// <c>&lt;script type="application/json" id="survey-preselect"&gt;</c>. Nothing is recorded: mail scanners fetch every link, so a
/// GET never starts a response or saves an answer; page.js sends the score only when the respondent confirms it.
/// Other values of <c>score</c> are ignored.
/// </para>
/// </summary>
public static class HostedPageEndpoints
{
    public const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    // Encodes markup characters only; Chinese text stays readable in the page source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static IEndpointRouteBuilder MapHostedPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/s").WithTags("Respondents").AllowAnonymous().ExcludeFromDescription().RequirePublicLimits();
        group.MapGet("/{token}", (string token, string? lang, HttpContext http, PublicSources sources, IOptions<JsonOptions> json, CancellationToken ct) =>
            Page(http, json.Value.SerializerOptions, lang, async () => await sources.ByToken(token, ct), invitation: true));
        group.MapGet("/p/{linkId}", (string linkId, string? lang, HttpContext http, PublicSources sources, IOptions<JsonOptions> json, CancellationToken ct) =>
            Page(http, json.Value.SerializerOptions, lang, async () => await sources.ByLink(linkId, ct), invitation: false));
        return app;
    }

    private static async Task<IResult> Page(HttpContext http, JsonSerializerOptions json, string? lang, Func<Task<ResolvedSource>> resolve, bool invitation)
    {
        http.Response.Headers.ContentSecurityPolicy = Csp;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-store";
        var locale = lang ?? http.Request.Headers.AcceptLanguage.ToString().Split(',')[0].Split(';')[0];
        try
        {
            var source = await resolve();
            var existing = invitation && source.Invitation!.RespondedBy is { } by ? new ExistingResponse(by, true) : null;
            var view = AnsweringEndpoints.RenderSource(source, locale, existing);
            return Results.Content(Html(view, json, Preselect(view, http.Request.Query["score"])), "text/html; charset=utf-8");
        }
        catch (Exception e) when (e is InvalidCredentialException or ExpiredException or NotFoundException)
        {
            var status = e switch { InvalidCredentialException => 401, ExpiredException => 410, _ => 404 };
            return Results.Content(Message(e.Message, locale), "text/html; charset=utf-8", Encoding.UTF8, status);
        }
    }

    /// <summary>The first question's id and score from <c>?score=</c>, when it is one integer within that scale question's range.</summary>
    private static (string Id, int Score)? Preselect(SurveyView view, string? score)
    {
        if (view.Response is { Completed: true } || FirstShown(view) is not { Scale: { } scale } first) return null;
        if (!int.TryParse(score, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < scale.Min || value > scale.Max) return null;
        return (first.Id, value);
    }

    /// <summary>The question rendered on the server: the first one without show-if logic.</summary>
    private static QuestionView? FirstShown(SurveyView view) => view.Questions.FirstOrDefault(q => q.VisibleIf is null);

    private static string Html(SurveyView view, JsonSerializerOptions json, (string Id, int Score)? preselect)
    {
        var e = Encoder;
        var zh = view.Locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        // a second JSON element, never executed, encoded like survey-data: {"nps":7}
        var preselectScript = preselect is { } chosen
            ? $"\n<script type=\"application/json\" id=\"survey-preselect\">{new JsonObject { [chosen.Id] = chosen.Score }.ToJsonString(ForHtml(json))}</script>"
            : "";
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="{e.Encode(view.Locale)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{e.Encode(view.Title)}</title>
            <link rel="stylesheet" href="/s/page.css">
            <script type="application/json" id="survey-data">{JsonSerializer.Serialize(view, ForHtml(json))}</script>{preselectScript}
            <script src="/widget/v1/page.js" type="module"></script>
            </head>
            <body>
            <main id="survey" class="survey">
            <h1>{e.Encode(view.Title)}</h1>

            """);
        if (view.Description is { } description) html.Append($"<p class=\"description\">{e.Encode(description)}</p>\n");
        if (view.Response is { Completed: true })
            html.Append($"<p class=\"done\" role=\"status\">{(zh ? "您已完成此问卷，谢谢！" : "You have already answered this survey. Thank you!")}</p>\n");
        else if (FirstShown(view) is { } first)
            html.Append(FirstQuestion(first, zh, e, preselect?.Score));
        html.Append($"""
            <noscript><p>{(zh ? "请启用 JavaScript 以完成问卷。" : "Please turn on JavaScript to answer this survey.")}</p></noscript>
            </main>
            </body>
            </html>
            """);
        return html.ToString();
    }

    /// <summary>
    /// The API's JSON options escape nothing HTML cares about; inside a script element "&lt;/script&gt;" in a question text would
    /// end it. This encoder escapes &lt; &gt; &amp; and quotes (as \u003C...), keeping Chinese readable.
    /// </summary>
    private static JsonSerializerOptions ForHtml(JsonSerializerOptions json) =>
        _forHtml ??= new(json) { Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    private static JsonSerializerOptions? _forHtml;

    private static string FirstQuestion(QuestionView q, bool zh, HtmlEncoder e, int? checkedScore)
    {
        var html = new StringBuilder($"<fieldset class=\"question\" id=\"q-{e.Encode(q.Id)}\"><legend>{e.Encode(q.Text)}</legend>\n");
        if (q.Scale is { } scale)
        {
            html.Append("<div class=\"scale\">");
            for (var i = scale.Min; i <= scale.Max; i++)
                html.Append($"<label class=\"point\"><input type=\"radio\" name=\"{e.Encode(q.Id)}\" value=\"{i}\"{(i == checkedScore ? " checked" : "")} disabled><span>{i}</span></label>");
            html.Append("</div>\n");
            if (scale.MinLabel is not null || scale.MaxLabel is not null)
                html.Append($"<div class=\"labels\"><span>{e.Encode(scale.MinLabel ?? "")}</span><span>{e.Encode(scale.MaxLabel ?? "")}</span></div>\n");
        }
        else if (q.Choices is { } choices)
        {
            var type = q.Type == QuestionType.MultipleChoice ? "checkbox" : "radio";
            foreach (var c in choices)
                html.Append($"<label class=\"choice\"><input type=\"{type}\" name=\"{e.Encode(q.Id)}\" value=\"{e.Encode(c.Value)}\" disabled> {e.Encode(c.Text)}</label>\n");
        }
        else html.Append($"<textarea name=\"{e.Encode(q.Id)}\" rows=\"4\" disabled aria-label=\"{e.Encode(q.Text)}\"></textarea>\n");
        html.Append($"<p class=\"loading\" role=\"status\">{(zh ? "加载中…" : "Loading…")}</p></fieldset>\n");
        return html.ToString();
    }

    private static string Message(string message, string? locale) => $"""
        <!doctype html>
        <html lang="{Encoder.Encode(locale ?? "en")}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{WebUtility.HtmlEncode(message)}</title>
        <link rel="stylesheet" href="/s/page.css"></head>
        <body><main class="survey"><p class="message" role="alert">{WebUtility.HtmlEncode(message)}</p></main></body>
        </html>
        """;
}
