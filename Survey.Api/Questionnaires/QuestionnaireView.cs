using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires;

/// <summary>A questionnaire as the console sees it: its editable draft and where its versions stand.</summary>
/// <param name="Version">Stream version; also sent as the ETag and expected back in If-Match.</param>
public sealed record QuestionnaireView(
    Guid Id,
    QuestionnaireStatus Status,
    LocalizedText Title,
    int DraftVersion,
    int? LatestPublishedVersion,
    bool HasUnpublishedChanges,
    QuestionnaireDefinition Draft,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public static QuestionnaireView From(Questionnaire q, long version) =>
        new(q.Id, q.Status, q.Draft.Title, q.DraftVersion, q.LatestPublishedVersion, q.HasUnpublishedChanges, q.Draft, q.CreatedAt, q.UpdatedAt, version);
}

public sealed record QuestionnaireSummary(
    Guid Id, QuestionnaireStatus Status, LocalizedText Title, int QuestionCount, int DraftVersion, int? LatestPublishedVersion,
    bool HasUnpublishedChanges, DateTimeOffset UpdatedAt);

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total);

public sealed record PublishedVersionView(Guid QuestionnaireId, int Version, DateTimeOffset PublishedAt, QuestionnaireDefinition Definition);

public sealed record PublishedVersionSummary(int Version, DateTimeOffset PublishedAt, int QuestionCount);
