using Survey.Domain.Common;
using Survey.Domain.Questionnaires;
using Survey.Domain.Questionnaires.Logic;

namespace Survey.Domain.Responses;

/// <summary>
/// Checks answers against the exact version answered. Logic runs in question order over the answers of visible
/// questions only, so a question hidden by logic contributes nothing to later logic. Problems are keyed by question id.
/// </summary>
public static class AnswerValidator
{
    /// <summary>Which questions are visible given these answers.</summary>
    public static IReadOnlySet<string> Visible(QuestionnaireDefinition d, IReadOnlyDictionary<string, Answer> answers)
    {
        var visible = new HashSet<string>();
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var q in d.Questions)
        {
            if (q.VisibleIf is null || Logic(q.VisibleIf).IsTrue(values))
            {
                visible.Add(q.Id);
                if (answers.TryGetValue(q.Id, out var a)) values[q.Id] = a.ToLogicValue();
            }
        }
        return visible;
    }

    /// <summary>Problems with the answers a save sets; <paramref name="merged"/> holds all answers after the save.</summary>
    public static IReadOnlyList<InputProblem> CheckSave(QuestionnaireDefinition d, IReadOnlyDictionary<string, Answer?> saved, IReadOnlyDictionary<string, Answer> merged)
    {
        var problems = new List<InputProblem>();
        var visible = Visible(d, merged);
        foreach (var (id, answer) in saved)
        {
            var q = d.Find(id);
            if (q is null) { problems.Add(new(id, "unknown-question", $"There is no question '{id}' in this survey.")); continue; }
            if (answer is null) continue;
            if (!visible.Contains(id))
            {
                problems.Add(new(id, "hidden-question", $"This question is not shown for your earlier answers ({q.VisibleIf}), so it cannot be answered."));
                continue;
            }
            problems.AddRange(CheckValue(q, answer));
        }
        return problems;
    }

    /// <summary>Problems that stop completion: required questions that are visible and unanswered.</summary>
    public static IReadOnlyList<InputProblem> CheckComplete(QuestionnaireDefinition d, IReadOnlyDictionary<string, Answer> answers)
    {
        var visible = Visible(d, answers);
        var values = answers.Where(a => visible.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value.ToLogicValue(), StringComparer.OrdinalIgnoreCase);
        return d.Questions
            .Where(q => visible.Contains(q.Id) && !answers.ContainsKey(q.Id))
            .Where(q => q.Required || (q.RequiredIf is not null && Logic(q.RequiredIf).IsTrue(values!)))
            .Select(q => new InputProblem(q.Id, "required", "Please answer this question."))
            .ToList();
    }

    /// <summary>Answers that logic now hides (after a change to an earlier answer); they are dropped.</summary>
    public static IReadOnlyList<string> NowHidden(QuestionnaireDefinition d, IReadOnlyDictionary<string, Answer> merged)
    {
        var visible = Visible(d, merged);
        return merged.Keys.Where(id => !visible.Contains(id)).Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<InputProblem> CheckValue(Question q, Answer a)
    {
        switch (q.Type)
        {
            case var t when QuestionTypes.IsScale(t):
                var (min, max) = QuestionTypes.Scale(q);
                if (a.Number is not { } n) yield return new(q.Id, "wrong-type", "Choose one point of the scale.");
                else if (n < min || n > max) yield return new(q.Id, "out-of-range", $"{n} is outside {min}-{max}.");
                break;
            case QuestionType.SingleChoice:
                if (a.Text is not { } value || q.Choices!.All(c => c.Value != value))
                    yield return new(q.Id, "unknown-choice", $"'{a.Text}' is not one of the options.");
                break;
            case QuestionType.MultipleChoice:
                var chosen = a.Choices ?? [];
                foreach (var unknown in chosen.Where(v => q.Choices!.All(c => c.Value != v)))
                    yield return new(q.Id, "unknown-choice", $"'{unknown}' is not one of the options.");
                if (chosen.Distinct().Count() != chosen.Count) yield return new(q.Id, "duplicate-choice", "An option is chosen twice.");
                if (q.MaxChoices is { } most && chosen.Count > most) yield return new(q.Id, "too-many", $"Choose at most {most}.");
                if (q.MinChoices is { } least && chosen.Count < least) yield return new(q.Id, "too-few", $"Choose at least {least}.");
                break;
            case QuestionType.FreeText:
                var limit = q.MaxLength ?? QuestionTypes.MaxTextLength;
                if (a.Text is null) yield return new(q.Id, "wrong-type", "Write your answer as text.");
                else if (a.Text.Length > limit) yield return new(q.Id, "too-long", $"Keep it under {limit} characters ({a.Text.Length} now).");
                break;
        }
    }

    private static LogicExpression Logic(string text) =>
        LogicExpression.Parse(text).Expression ?? throw new InvalidOperationException($"Published logic does not parse: {text}");
}
