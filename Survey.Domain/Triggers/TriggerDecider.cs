using Survey.Domain.Common;

namespace Survey.Domain.Triggers;

public abstract record TriggerCommand;
public sealed record CreateTrigger(Guid TriggerId, TriggerDefinition Definition) : TriggerCommand;
/// <summary>Replaces the draft; the published version keeps firing until the draft is published.</summary>
public sealed record EditTrigger(TriggerDefinition Definition) : TriggerCommand;
public sealed record PublishTrigger : TriggerCommand;
public sealed record PauseTrigger(string? Reason = null) : TriggerCommand;
public sealed record ResumeTrigger : TriggerCommand;
public sealed record ArchiveTrigger : TriggerCommand;

/// <summary>
/// Decides what a command on a trigger records. Drafts are always whole and valid; publishing freezes the draft as the next
/// version. Pause and resume are safe to repeat: a trigger already paused (resumed) records nothing.
/// </summary>
public static class TriggerDecider
{
    public static object[] Decide(TriggerCommand command, Trigger? state, DateTimeOffset now)
    {
        if (command is CreateTrigger create)
        {
            if (state is not null) throw new RuleViolationException("already-exists", $"Trigger {create.TriggerId} already exists.");
            InvalidInputException.ThrowIfAny(TriggerValidator.Validate(create.Definition));
            return [new TriggerCreated(create.TriggerId, create.Definition, now)];
        }

        if (state is null) throw new NotFoundException("The trigger does not exist.");
        if (state.Archived) throw new RuleViolationException("archived", "The trigger is archived and can no longer change.");
        var id = state.Id;

        return command switch
        {
            EditTrigger c => Edit(state, c, now),
            PublishTrigger => [Publish(state, now)],
            PauseTrigger c => state.Paused ? [] : [new TriggerPaused(id, c.Reason, now)],
            ResumeTrigger => state.Paused ? [new TriggerResumed(id, now)] : [],
            ArchiveTrigger => [new TriggerArchived(id, now)],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    public static Trigger Evolve(Trigger? state, object @event) => (state, @event) switch
    {
        (null, TriggerCreated e) => Trigger.From(e),
        (not null, TriggerDraftEdited e) => state.With(e),
        (not null, TriggerPublished e) => state.With(e),
        (not null, TriggerPaused e) => state.With(e),
        (not null, TriggerResumed e) => state.With(e),
        (not null, TriggerArchived e) => state.With(e),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to {(state is null ? "a missing" : "an existing")} trigger."),
    };

    private static object[] Edit(Trigger state, EditTrigger c, DateTimeOffset now)
    {
        InvalidInputException.ThrowIfAny(TriggerValidator.Validate(c.Definition));
        return state.Draft.Equals(c.Definition) ? [] : [new TriggerDraftEdited(state.Id, c.Definition, now)];
    }

    private static TriggerPublished Publish(Trigger state, DateTimeOffset now)
    {
        if (!state.HasUnpublishedChanges)
            throw new RuleViolationException("nothing-to-publish", $"The draft is identical to version {state.LatestPublishedVersion}.");
        InvalidInputException.ThrowIfAny(TriggerValidator.Validate(state.Draft, publishingAt: now));
        return new TriggerPublished(state.Id, state.DraftVersion, state.Draft, now);
    }
}
