namespace Survey.Domain.Questionnaires;

/// <summary>Everything a respondent surface needs to render and a validator needs to check one version.</summary>
public sealed record QuestionnaireDefinition(
    LocalizedText Title,
    LocalizedText? Description,
    string DefaultLocale,
    IReadOnlyList<string> Locales,
    IReadOnlyList<Question> Questions)
{
    public Question? Find(string questionId) => Questions.FirstOrDefault(q => q.Id == questionId);

    public bool Equals(QuestionnaireDefinition? other) =>
        other is not null
        && Title.Equals(other.Title)
        && Equals(Description, other.Description)
        && DefaultLocale == other.DefaultLocale
        && Locales.SequenceEqual(other.Locales)
        && Questions.SequenceEqual(other.Questions);

    public override int GetHashCode() => HashCode.Combine(DefaultLocale, Questions.Count);
}
