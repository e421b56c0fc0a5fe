namespace Survey.Domain.Questionnaires;

/// <summary>Value equality for questions, including their choice lists and localized texts.</summary>
internal static class QuestionEquality
{
    public static bool Same(Question a, Question b) =>
        a.Id == b.Id && a.Type == b.Type && a.Text.Equals(b.Text) && Equals(a.Description, b.Description)
        && a.Required == b.Required && a.VisibleIf == b.VisibleIf && a.RequiredIf == b.RequiredIf
        && SameChoices(a.Choices, b.Choices) && a.MinChoices == b.MinChoices && a.MaxChoices == b.MaxChoices
        && a.ScaleMin == b.ScaleMin && a.ScaleMax == b.ScaleMax
        && Equals(a.MinLabel, b.MinLabel) && Equals(a.MaxLabel, b.MaxLabel)
        && a.MaxLength == b.MaxLength && a.Key == b.Key && a.Page == b.Page;

    private static bool SameChoices(IReadOnlyList<Choice>? a, IReadOnlyList<Choice>? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Count == b.Count && a.Zip(b).All(p => p.First.Value == p.Second.Value && p.First.Text.Equals(p.Second.Text));
}
