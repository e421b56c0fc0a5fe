using System.Net;
using Marten;
using Survey.Api.Operations;
using Survey.Api.Respondents;
using Survey.Api.Respondents.HostedPage;
using Survey.Domain.Common;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>
/// The unsubscribe link of every invitation. A GET only shows a confirmation page (mail scanners fetch every link; a fetch
/// must change nothing); the opt-out is recorded by the POST of that page's button or by a mail client's one-click
/// List-Unsubscribe-Post.
/// </summary>
public static class UnsubscribeEndpoints
{
    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/unsubscribe").WithTags("Respondents").AllowAnonymous().ExcludeFromDescription().RequirePublicLimits();
        group.MapGet("/{token}", async (string token, InvitationTokens tokens, HttpContext http, CancellationToken ct) =>
        {
            await tokens.Verify(token, ct, allowExpired: true);
            return Page(http, "Stop survey invitations? / 不再接收问卷邀请？",
                $"""<form method="post" action="/unsubscribe/{WebUtility.HtmlEncode(token)}"><p>We will not invite you to surveys again. 我们将不再向您发送问卷邀请。</p><button type="submit">Unsubscribe / 退订</button></form>""");
        });
        group.MapPost("/{token}", async (string token, InvitationTokens tokens, IDocumentStore store, TimeProvider time, HttpContext http, CancellationToken ct) =>
        {
            var claims = await tokens.Verify(token, ct, allowExpired: true);
            await using var session = store.LightweightSession(claims.TenantId);
            var invitation = await session.LoadAsync<Invitation>(claims.InvitationId, ct) ?? throw new NotFoundException("This link is not known.");
            if (invitation.CustomerExternalId is { } id && await session.LoadAsync<CustomerRecord>(id, ct) is { } record && !record.Customer.OptedOut)
            {
                session.Store(record with { Customer = record.Customer with { OptedOut = true }, UpdatedAt = time.GetUtcNow() });
                await session.SaveChangesAsync(ct);
            }
            return Page(http, "You are unsubscribed / 已退订", "<p>You will not receive survey invitations from us any more. 您将不再收到我们的问卷邀请。</p>");
        }).DisableAntiforgery();
        return app;
    }

    private static IResult Page(HttpContext http, string title, string body)
    {
        http.Response.Headers.ContentSecurityPolicy = HostedPageEndpoints.Csp;
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)}</title><link rel="stylesheet" href="/s/page.css"></head>
            <body><main class="survey"><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</main></body></html>
            """, "text/html; charset=utf-8");
    }
}
