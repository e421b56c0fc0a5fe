namespace Survey.Domain.Questionnaires;

public enum QuestionType
{
    Nps,
    Csat,
    Ces,
    Rating,
    SingleChoice,
    MultipleChoice,
    FreeText,
}

public sealed record Choice(string Value, LocalizedText Text);

/// <summary>
/// One question of a questionnaire. Fields that a type does not use stay null; <see cref="QuestionTypes"/> says which each type needs.
/// </summary>
/// <param name="Id">Unique in the questionnaire; the name logic and piping use (<c>{nps}</c>).</param>
/// <param name="Key">Stable key across versions for analytics (e.g. "overall_nps"); defaults to the id.</param>
/// <param name="Page">1-based page; pages never go backwards in question order.</param>
/// <param name="VisibleIf">SurveyJS expression; the question is shown only when it is true.</param>
/// <param name="RequiredIf">SurveyJS expression; the question is required when it is true.</param>
public sealed record Question(
    string Id,
    QuestionType Type,
    LocalizedText Text,
    LocalizedText? Description = null,
    bool Required = false,
    string? VisibleIf = null,
    string? RequiredIf = null,
    IReadOnlyList<Choice>? Choices = null,
    int? MinChoices = null,
    int? MaxChoices = null,
    int? ScaleMin = null,
    int? ScaleMax = null,
    LocalizedText? MinLabel = null,
    LocalizedText? MaxLabel = null,
    int? MaxLength = null,
    string? Key = null,
    int Page = 1)
{
    public string AnalyticsKey => Key ?? Id;
    public bool Equals(Question? other) => other is not null && QuestionEquality.Same(this, other);
    public override int GetHashCode() => HashCode.Combine(Id, Type);
}
