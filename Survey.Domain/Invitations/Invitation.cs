using Survey.Domain.Common;

namespace Survey.Domain.Invitations;

/// <summary>An invitation to answer one exact published version, before <paramref name="ExpiresAt"/>.</summary>
public sealed record InvitationCreated(Guid InvitationId, Guid QuestionnaireId, int QuestionnaireVersion, string Channel, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt);
public sealed record InvitationResponded(Guid InvitationId, Guid ResponseId, DateTimeOffset RespondedAt);

public sealed record Invitation(Guid Id, Guid QuestionnaireId, int QuestionnaireVersion, string Channel, DateTimeOffset ExpiresAt, Guid? RespondedBy, DateTimeOffset CreatedAt)
{
    public static Invitation From(InvitationCreated e) => new(e.InvitationId, e.QuestionnaireId, e.QuestionnaireVersion, e.Channel, e.ExpiresAt, null, e.CreatedAt);
    public Invitation With(InvitationResponded e) => this with { RespondedBy = e.ResponseId };
}

public static class InvitationDecider
{
    /// <summary>A response may start while the invitation is open and not answered by another response.</summary>
    public static void EnsureOpenFor(Invitation invitation, Guid responseId, DateTimeOffset now)
    {
        if (invitation.RespondedBy is { } by && by != responseId)
            throw new RuleViolationException("already-answered", "This survey has already been answered. Thank you!");
        if (now >= invitation.ExpiresAt)
            throw new ExpiredException("This survey has closed.");
    }

    /// <summary>One invitation yields at most one completed response; a retry by the same response records nothing.</summary>
    public static object[] Respond(Invitation invitation, Guid responseId, DateTimeOffset now)
    {
        if (invitation.RespondedBy == responseId) return [];
        EnsureOpenFor(invitation, responseId, now);
        return [new InvitationResponded(invitation.Id, responseId, now)];
    }

    public static Invitation Evolve(Invitation? state, object @event) => (state, @event) switch
    {
        (null, InvitationCreated e) => Invitation.From(e),
        (not null, InvitationResponded e) => state.With(e),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply here."),
    };
}
