using Survey.Domain.Common;

namespace Survey.Domain.Questionnaires;

/// <summary>
/// What each question type needs. Adding a type: a member in <see cref="QuestionType"/>, a case here
/// (its fixed or configurable scale and which fields it uses), and its answer rule in the responses feature.
/// </summary>
public static class QuestionTypes
{
    public const int MaxTextLength = 10_000;

    /// <summary>The fixed scale of a scored type, or null when the question configures it.</summary>
    public static (int Min, int Max)? FixedScale(QuestionType type) => type switch
    {
        QuestionType.Nps => (0, 10),
        QuestionType.Csat => (1, 5),
        QuestionType.Ces => (1, 7),
        _ => null,
    };

    public static bool IsScale(QuestionType type) => type is QuestionType.Nps or QuestionType.Csat or QuestionType.Ces or QuestionType.Rating;
    public static bool HasChoices(QuestionType type) => type is QuestionType.SingleChoice or QuestionType.MultipleChoice;

    /// <summary>The effective scale of a scale question (fixed for NPS/CSAT/CES, configured for rating).</summary>
    public static (int Min, int Max) Scale(Question q) => FixedScale(q.Type) ?? (q.ScaleMin ?? 1, q.ScaleMax ?? 5);

    internal static IEnumerable<InputProblem> Check(Question q, string path)
    {
        if (!Enum.IsDefined(q.Type))
        {
            yield return new($"{path}.type", "unknown-type", $"Unknown question type '{q.Type}'.");
            yield break;
        }

        if (FixedScale(q.Type) is not null && (q.ScaleMin is not null || q.ScaleMax is not null))
            yield return new($"{path}.scaleMin", "not-configurable", $"A {q.Type} question has a fixed scale {FixedScale(q.Type)}; leave scaleMin and scaleMax out.");

        if (q.Type == QuestionType.Rating)
        {
            var (min, max) = Scale(q);
            if (min < 0 || max > 100 || max - min < 1 || max - min > 20)
                yield return new($"{path}.scaleMax", "invalid-scale", "A rating scale runs from 0..100 with 2 to 21 points (scaleMin < scaleMax).");
        }

        if (!IsScale(q.Type) && (q.ScaleMin is not null || q.ScaleMax is not null || q.MinLabel is not null || q.MaxLabel is not null))
            yield return new($"{path}.scaleMin", "not-applicable", $"A {q.Type} question has no scale.");

        if (HasChoices(q.Type))
        {
            var choices = q.Choices ?? [];
            if (choices.Count == 0)
                yield return new($"{path}.choices", "empty-choices", "A choice question needs at least one choice.");
            for (var i = 0; i < choices.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(choices[i].Value))
                    yield return new($"{path}.choices[{i}].value", "required", "Every choice needs a value.");
                if (choices[i].Text is null || choices[i].Text.Count == 0 || choices[i].Text.Values.All(string.IsNullOrWhiteSpace))
                    yield return new($"{path}.choices[{i}].text", "required", "Every choice needs a text.");
            }
            foreach (var duplicate in choices.Where(c => !string.IsNullOrWhiteSpace(c.Value)).GroupBy(c => c.Value).Where(g => g.Count() > 1))
                yield return new($"{path}.choices", "duplicate-choice", $"Choice value '{duplicate.Key}' appears {duplicate.Count()} times.");
        }
        else if (q.Choices is not null)
            yield return new($"{path}.choices", "not-applicable", $"A {q.Type} question has no choices.");

        if (q.Type == QuestionType.MultipleChoice)
        {
            var count = q.Choices?.Count ?? 0;
            if (q.MinChoices is < 0) yield return new($"{path}.minChoices", "out-of-range", "minChoices cannot be negative.");
            if (q.MaxChoices is < 1) yield return new($"{path}.maxChoices", "out-of-range", "maxChoices must be at least 1.");
            if (q.MinChoices is { } lo && q.MaxChoices is { } hi && lo > hi)
                yield return new($"{path}.minChoices", "out-of-range", "minChoices cannot exceed maxChoices.");
            if (q.MinChoices is { } m && count > 0 && m > count)
                yield return new($"{path}.minChoices", "out-of-range", $"minChoices ({m}) exceeds the {count} choices.");
        }
        else if (q.MinChoices is not null || q.MaxChoices is not null)
            yield return new($"{path}.maxChoices", "not-applicable", "minChoices and maxChoices apply to multiple choice questions only.");

        if (q.Type == QuestionType.FreeText)
        {
            if (q.MaxLength is < 1 or > MaxTextLength)
                yield return new($"{path}.maxLength", "out-of-range", $"maxLength runs from 1 to {MaxTextLength}.");
        }
        else if (q.MaxLength is not null)
            yield return new($"{path}.maxLength", "not-applicable", "maxLength applies to free text questions only.");
    }
}
