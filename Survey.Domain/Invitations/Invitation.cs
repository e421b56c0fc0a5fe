using Survey.Domain.Common;

namespace Survey.Domain.Invitations;

/// <summary>An invitation to answer one exact published version, before <paramref name="ExpiresAt"/>.</summary>
public sealed record InvitationCreated(Guid InvitationId, Guid QuestionnaireId, int QuestionnaireVersion, string Channel, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt);
public sealed record InvitationResponded(Guid InvitationId, Guid ResponseId, DateTimeOffset RespondedAt);

public sealed record Invitation(Guid Id, Guid QuestionnaireId, int QuestionnaireVersion, string Channel, DateTimeOffset ExpiresAt, Guid? RespondedBy, DateTimeOffset CreatedAt)
{
    public InvitationStatus Status { get; init; } = InvitationStatus.Created;
    /// <summary>Channels to try in order (triggered invitations); a manual invitation has just its own.</summary>
    public IReadOnlyList<string> ChannelOrder { get; init; } = [];
    /// <summary>An attempt recorded before calling the provider whose outcome is not known yet.</summary>
    public SendAttempt? PendingAttempt { get; init; }
    public string? SentChannel { get; init; }
    public string? ProviderMessageId { get; init; }
    public IReadOnlyList<string> FailedChannels { get; init; } = [];
    public DateTimeOffset? DueAt { get; init; }
    public string? CustomerExternalId { get; init; }
    public string? EventExternalId { get; init; }
    public string? DealerCode { get; init; }
    public Guid? TriggerId { get; init; }
    public DateTimeOffset? ReminderAt { get; init; }
    /// <summary>"NotOpened" or "NotCompleted".</summary>
    public string? ReminderIf { get; init; }
    public bool Opened { get; init; }
    public bool Reminded { get; init; }
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];

    public static Invitation From(InvitationCreated e) => new(e.InvitationId, e.QuestionnaireId, e.QuestionnaireVersion, e.Channel, e.ExpiresAt, null, e.CreatedAt)
    {
        ChannelOrder = [e.Channel],
        Timeline = [new(e.CreatedAt, "created", e.Channel, null)],
    };

    public Invitation With(InvitationResponded e) => this with
    {
        RespondedBy = e.ResponseId, Status = InvitationStatus.Responded, Timeline = [.. Timeline, new(e.RespondedAt, "responded", null, e.ResponseId.ToString())],
    };
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
        (null, InvitationScheduled e) => InvitationSending.From(e),
        (null, InvitationSuppressed e) => InvitationSending.From(e),
        (not null, InvitationResponded e) => state.With(e),
        (not null, _) => InvitationSending.Evolve(state, @event),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply here."),
    };
}
