namespace Survey.Domain.Triggers;

public sealed record TriggerCreated(Guid TriggerId, TriggerDefinition Definition, DateTimeOffset CreatedAt);
public sealed record TriggerDraftEdited(Guid TriggerId, TriggerDefinition Definition, DateTimeOffset EditedAt);
/// <summary>Freezes version <paramref name="Version"/>: events fire against this definition until the next publish.</summary>
public sealed record TriggerPublished(Guid TriggerId, int Version, TriggerDefinition Definition, DateTimeOffset PublishedAt);
public sealed record TriggerPaused(Guid TriggerId, string? Reason, DateTimeOffset PausedAt);
public sealed record TriggerResumed(Guid TriggerId, DateTimeOffset ResumedAt);
public sealed record TriggerArchived(Guid TriggerId, DateTimeOffset ArchivedAt);

public enum TriggerStatus { Draft, Live, Paused, Archived }

/// <summary>
/// A trigger's state: the draft being edited, the latest published version (the one that fires), paused or archived.
/// The draft after a publish is the next version (<see cref="DraftVersion"/>). Pausing does not create a version.
/// </summary>
public sealed record Trigger(
    Guid Id,
    TriggerDefinition Draft,
    int DraftVersion,
    int? LatestPublishedVersion,
    TriggerDefinition? LatestPublished,
    bool Paused,
    bool Archived,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Stream version, set by the event store; used as the ETag.</summary>
    public long Version { get; set; }

    public TriggerStatus Status =>
        Archived ? TriggerStatus.Archived
        : LatestPublishedVersion is null ? TriggerStatus.Draft
        : Paused ? TriggerStatus.Paused
        : TriggerStatus.Live;

    /// <summary>True when the draft differs from the latest published version (or nothing is published yet).</summary>
    public bool HasUnpublishedChanges => LatestPublished is null || !LatestPublished.Equals(Draft);

    public static Trigger From(TriggerCreated e) => new(e.TriggerId, e.Definition, 1, null, null, false, false, e.CreatedAt, e.CreatedAt);

    public Trigger With(TriggerDraftEdited e) => this with { Draft = e.Definition, UpdatedAt = e.EditedAt };

    public Trigger With(TriggerPublished e) =>
        this with { LatestPublishedVersion = e.Version, LatestPublished = e.Definition, DraftVersion = e.Version + 1, UpdatedAt = e.PublishedAt };

    public Trigger With(TriggerPaused e) => this with { Paused = true, UpdatedAt = e.PausedAt };

    public Trigger With(TriggerResumed e) => this with { Paused = false, UpdatedAt = e.ResumedAt };

    public Trigger With(TriggerArchived e) => this with { Archived = true, UpdatedAt = e.ArchivedAt };
}
