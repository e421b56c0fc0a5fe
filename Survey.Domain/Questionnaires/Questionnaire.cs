namespace Survey.Domain.Questionnaires;

public sealed record QuestionnaireCreated(Guid QuestionnaireId, QuestionnaireDefinition Definition, string Source, DateTimeOffset CreatedAt);
public sealed record QuestionnaireDetailsChanged(Guid QuestionnaireId, LocalizedText Title, LocalizedText? Description, string DefaultLocale, IReadOnlyList<string> Locales, DateTimeOffset ChangedAt);
public sealed record QuestionAdded(Guid QuestionnaireId, Question Question, int Position, DateTimeOffset AddedAt);
public sealed record QuestionEdited(Guid QuestionnaireId, Question Question, DateTimeOffset EditedAt);
public sealed record QuestionsReordered(Guid QuestionnaireId, IReadOnlyList<string> Order, DateTimeOffset ReorderedAt);
public sealed record QuestionRemoved(Guid QuestionnaireId, string QuestionId, DateTimeOffset RemovedAt);
/// <summary>Texts set in one locale, keyed as in <see cref="Translations"/>; an empty text removed a translation.</summary>
public sealed record QuestionnaireTranslated(Guid QuestionnaireId, string Locale, IReadOnlyDictionary<string, string?> Texts, DateTimeOffset TranslatedAt);
public sealed record QuestionnaireDraftReplaced(Guid QuestionnaireId, QuestionnaireDefinition Definition, string Source, DateTimeOffset ReplacedAt);
/// <summary>Freezes version <paramref name="Version"/>: the definition in this event never changes.</summary>
public sealed record QuestionnairePublished(Guid QuestionnaireId, int Version, QuestionnaireDefinition Definition, DateTimeOffset PublishedAt);
public sealed record QuestionnaireArchived(Guid QuestionnaireId, DateTimeOffset ArchivedAt);

public enum QuestionnaireStatus { Draft, Published, Archived }

/// <summary>
/// The questionnaire's state: the draft being edited, the versions published so far, whether it is archived.
/// The draft after a publish is the next version (<see cref="DraftVersion"/>); published definitions live in their events.
/// </summary>
public sealed record Questionnaire(
    Guid Id,
    QuestionnaireDefinition Draft,
    int DraftVersion,
    int? LatestPublishedVersion,
    QuestionnaireDefinition? LatestPublished,
    bool Archived,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Stream version, set by the event store; used as the ETag.</summary>
    public long Version { get; set; }

    public QuestionnaireStatus Status =>
        Archived ? QuestionnaireStatus.Archived : LatestPublishedVersion is null ? QuestionnaireStatus.Draft : QuestionnaireStatus.Published;

    /// <summary>True when the draft differs from the latest published version (or nothing is published yet).</summary>
    public bool HasUnpublishedChanges => LatestPublished is null || !LatestPublished.Equals(Draft);

    public static Questionnaire From(QuestionnaireCreated e) =>
        new(e.QuestionnaireId, e.Definition, 1, null, null, false, e.CreatedAt, e.CreatedAt);

    public Questionnaire With(QuestionnaireDetailsChanged e) =>
        this with { Draft = Draft with { Title = e.Title, Description = e.Description, DefaultLocale = e.DefaultLocale, Locales = e.Locales }, UpdatedAt = e.ChangedAt };

    public Questionnaire With(QuestionAdded e)
    {
        var questions = Draft.Questions.ToList();
        questions.Insert(Math.Clamp(e.Position, 0, questions.Count), e.Question);
        return this with { Draft = Draft with { Questions = questions }, UpdatedAt = e.AddedAt };
    }

    public Questionnaire With(QuestionEdited e) =>
        this with { Draft = Draft with { Questions = Draft.Questions.Select(q => q.Id == e.Question.Id ? e.Question : q).ToList() }, UpdatedAt = e.EditedAt };

    public Questionnaire With(QuestionsReordered e) =>
        this with { Draft = Draft with { Questions = e.Order.Select(id => Draft.Find(id)!).ToList() }, UpdatedAt = e.ReorderedAt };

    public Questionnaire With(QuestionRemoved e) =>
        this with { Draft = Draft with { Questions = Draft.Questions.Where(q => q.Id != e.QuestionId).ToList() }, UpdatedAt = e.RemovedAt };

    public Questionnaire With(QuestionnaireTranslated e) =>
        this with { Draft = Translations.Apply(Draft, e.Locale, e.Texts), UpdatedAt = e.TranslatedAt };

    public Questionnaire With(QuestionnaireDraftReplaced e) => this with { Draft = e.Definition, UpdatedAt = e.ReplacedAt };

    public Questionnaire With(QuestionnairePublished e) =>
        this with { LatestPublishedVersion = e.Version, LatestPublished = e.Definition, DraftVersion = e.Version + 1, UpdatedAt = e.PublishedAt };

    public Questionnaire With(QuestionnaireArchived e) => this with { Archived = true, UpdatedAt = e.ArchivedAt };
}
