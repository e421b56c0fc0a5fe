using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Survey.Api.Respondents;
using Survey.Domain.Common;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>
/// A short address for an invitation (<c>/i/{Id}</c>, 11 characters) so an SMS with its link stays within one or two
/// segments; it redirects to the hosted page with a freshly signed token. Single-tenanted: the id alone finds the tenant.
/// </summary>
public sealed record ShortLink(string Id, string TenantId, Guid InvitationId);

public static class ShortLinks
{
    /// <summary>Derived from the invitation id, so a resend reuses the same link; 66 bits of an unguessable id's hash.</summary>
    public static string IdFor(Guid invitationId) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($"short-link:{invitationId:N}")))[..11];

    public static IEndpointRouteBuilder MapShortLinks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/i").WithTags("Respondents").AllowAnonymous().ExcludeFromDescription().RequirePublicLimits();
        group.MapGet("/{id}", async (string id, string? ch, IDocumentStore store, InvitationTokens tokens, CancellationToken ct) =>
        {
            if (id.Length != 11) throw new NotFoundException("This link is not known.");
            ShortLink? link;
            await using (var global = store.QuerySession()) link = await global.LoadAsync<ShortLink>(id, ct);
            if (link is null) throw new NotFoundException("This link is not known.");
            await using var session = store.QuerySession(link.TenantId);
            var invitation = await session.LoadAsync<Invitation>(link.InvitationId, ct) ?? throw new NotFoundException("This link is not known.");
            var token = await tokens.Issue(new InvitationClaims(link.TenantId, invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), ct);
            return Results.Redirect($"/s/{token}?ch={Uri.EscapeDataString(ch ?? "sms")}");
        });
        return app;
    }
}
