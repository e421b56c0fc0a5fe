using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Survey.Api.Channels;
using Survey.Api.Http;
using Survey.Api.Operations;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Common;
using Survey.Domain.Invitations;

namespace Survey.Api.Respondents.Members;

public sealed record MemberSignInRequest(string? Code);

/// <summary>A signed-in member: the token to send as <c>X-Member-Token</c> and when it stops working.</summary>
public sealed record MemberSession(string MemberToken, DateTimeOffset ExpiresAt);

/// <summary>A survey waiting for the member: open it with <see cref="Token"/> like any invitation.</summary>
public sealed record PendingSurvey(Guid InvitationId, Guid QuestionnaireId, string Title, string Token, DateTimeOffset ExpiresAt, DateTimeOffset InvitedAt);

public sealed record PendingSurveys(IReadOnlyList<PendingSurvey> Surveys);

/// <summary>
/// The mini-program's own way in: a member signs in with <c>wx.login()</c>'s code, and the component asks which invitations
/// are waiting for them (sent on any channel, not answered, not expired), so a survey is there when they open the mini-program
/// even if they refused the subscribe message.
/// </summary>
public static class MemberEndpoints
{
    public const string TokenHeader = "X-Member-Token";
    private const int Newest = 10;

    public static IEndpointRouteBuilder MapMemberApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/public/miniprogram").WithTags("Respondents").AllowAnonymous().RequirePublicLimits();
        group.MapPost("/sessions", SignIn).WithName("MemberSignIn")
            .WithSummary("Sign a mini-program member in with the code from wx.login()")
            .WithDescription("Exchanges the code at WeChat's jscode2session for the member's openid and answers a member token for " +
                "X-Member-Token. 401 when WeChat refuses the code (invalid or used), 503 with Retry-After when WeChat is busy, 404 when " +
                "no mini-program is configured (Channels:WeChat:AppId).")
            .WithRequestExample("""{ "code": "0a3Fk0ll2lqYxd4Ij5ml2K6DaG1Fk0l8" }""");
        group.MapGet("/pending", Pending).WithName("MemberPendingSurveys")
            .WithSummary("The surveys waiting for the signed-in member (X-Member-Token), newest first")
            .WithDescription("Invitations of the customers with this member's openid that were sent (on any channel), are not answered " +
                "and have not expired; each with a fresh invitation token for /api/public/surveys/by-token/{token}. The component polls this.");
        return app;
    }

    private static async Task<Ok<MemberSession>> SignIn(MemberSignInRequest? request, WeChatSignIn wechat, InvitationTokens tokens,
        IOptions<WeChatOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!wechat.Configured) throw new NotFoundException("Mini-program sign-in is not configured here.");
        var code = request?.Code?.Trim();
        if (string.IsNullOrEmpty(code) || code.Length > 128 || !code.All(c => c is >= '!' and <= '~'))
            throw new InvalidInputException([new("code", "required", "code is the value wx.login() gave (1-128 printable characters).")]);
        var openId = await wechat.OpenIdFor(code, ct);
        var expires = time.GetUtcNow() + options.Value.MemberSessionLifetime;
        return TypedResults.Ok(new MemberSession(await tokens.IssueMember(new MemberClaims(options.Value.Tenant, openId, expires), ct), expires));
    }

    private static async Task<Ok<PendingSurveys>> Pending(HttpRequest request, string? locale, InvitationTokens tokens, IDocumentStore store,
        Privacy.PersonalDataVault vault, TimeProvider time, CancellationToken ct)
    {
        var header = request.Headers[TokenHeader].ToString();
        if (string.IsNullOrEmpty(header)) throw new InvalidCredentialException("Please sign in again.");
        var member = await tokens.VerifyMember(header, ct);
        await using var session = store.QuerySession(member.TenantId);
        var customers = await CustomersWithOpenId(session, vault.OpenIdIndex(member.TenantId, member.OpenId), ct);
        if (customers.Count == 0) return TypedResults.Ok(new PendingSurveys([]));

        var now = time.GetUtcNow();
        var waiting = await session.Query<Invitation>()
            .Where(i => i.CustomerExternalId != null && customers.Contains(i.CustomerExternalId) && i.RespondedBy == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt).Take(50).ToListAsync(ct);
        var surveys = new List<PendingSurvey>();
        foreach (var invitation in waiting.Where(Open).Take(Newest))
        {
            var published = await PublicSources.Version(session, invitation.QuestionnaireId, invitation.QuestionnaireVersion, ct);
            var title = published.Definition.Title.In(locale ?? published.Definition.DefaultLocale) ?? published.Definition.Title.In(published.Definition.DefaultLocale) ?? "";
            var token = await tokens.Issue(new InvitationClaims(member.TenantId, invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), ct);
            surveys.Add(new PendingSurvey(invitation.Id, invitation.QuestionnaireId, title, token, invitation.ExpiresAt, invitation.CreatedAt));
        }
        return TypedResults.Ok(new PendingSurveys(surveys));
    }

    /// <summary>Sent (or being sent, or past its channels) and still answerable; not one still waiting for its send time.</summary>
    private static bool Open(Invitation invitation) =>
        invitation.Status is not (InvitationStatus.Scheduled or InvitationStatus.Responded or InvitationStatus.Expired or InvitationStatus.Suppressed);

    /// <summary>The customers a member is: the one place that looks a customer up by openid (its blind index: openids are sealed).</summary>
    private static async Task<List<string>> CustomersWithOpenId(IQuerySession session, string openIdIndex, CancellationToken ct) =>
        (await session.Query<CustomerRecord>().Where(c => c.WeChatIndex == openIdIndex).Select(c => c.Id).ToListAsync(ct)).ToList();
}
