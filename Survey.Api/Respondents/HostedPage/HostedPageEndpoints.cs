using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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
/// </summary>
public static class HostedPageEndpoints
{
    public const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    // Encodes markup characters only; Chinese text stays readable in the page source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static IEndpointRouteBuilder MapHostedPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/s").WithTags("Respondents").ExcludeFromDescription().RequirePublicLimits();
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
            var view = SurveyRenderer.Render(source.Published.QuestionnaireId, source.Published.Version, source.Published.Definition, locale, source.View, source.Theme, null, existing);
            return Results.Content(Html(view, json), "text/html; charset=utf-8");
        }
        catch (Exception e) when (e is InvalidCredentialException or ExpiredException or NotFoundException)
        {
            var status = e switch { InvalidCredentialException => 401, ExpiredException => 410, _ => 404 };
            return Results.Content(Message(e.Message, locale), "text/html; charset=utf-8", Encoding.UTF8, status);
        }
    }

    private static string Html(SurveyView view, JsonSerializerOptions json)
    {
        var e = Encoder;
        var zh = view.Locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="{e.Encode(view.Locale)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{e.Encode(view.Title)}</title>
            <link rel="stylesheet" href="/s/page.css">
            <script type="application/json" id="survey-data">{JsonSerializer.Serialize(view, ForHtml(json))}</script>
            <script src="/widget/v1/page.js" type="module"></script>
            </head>
            <body>
            <main id="survey" class="survey">
            <h1>{e.Encode(view.Title)}</h1>

            """);
        if (view.Description is { } description) html.Append($"<p class=\"description\">{e.Encode(description)}</p>\n");
        if (view.Response is { Completed: true })
            html.Append($"<p class=\"done\" role=\"status\">{(zh ? "您已完成此问卷，谢谢！" : "You have already answered this survey. Thank you!")}</p>\n");
        else if (view.Questions.FirstOrDefault(q => q.VisibleIf is null) is { } first)
            html.Append(FirstQuestion(first, zh, e));
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

    private static string FirstQuestion(QuestionView q, bool zh, HtmlEncoder e)
    {
        var html = new StringBuilder($"<fieldset class=\"question\" id=\"q-{e.Encode(q.Id)}\"><legend>{e.Encode(q.Text)}</legend>\n");
        if (q.Scale is { } scale)
        {
            html.Append("<div class=\"scale\">");
            for (var i = scale.Min; i <= scale.Max; i++)
                html.Append($"<label class=\"point\"><input type=\"radio\" name=\"{e.Encode(q.Id)}\" value=\"{i}\" disabled><span>{i}</span></label>");
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
