using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Domain.Cases;

/// <summary>A rule that matched a response, at the version that matched, and a reason free of the respondent's own words.</summary>
public sealed record MatchedRule(Guid RuleId, int RuleVersion, string RuleName, string Reason);

/// <summary>
/// Which live rules a completed response meets. Only questions the respondent answered count; a rule naming a question key matches
/// the question whose analytics key (or id) it is. The reason quotes scores, choice values and the rule's keyword, never free text.
/// </summary>
public static class CaseRuleEvaluation
{
    public static IReadOnlyList<MatchedRule> Match(IEnumerable<CaseRule> rules, QuestionnaireDefinition definition, IReadOnlyDictionary<string, Answer> answers) =>
        rules.Where(r => r is { Live: true, Retired: false })
            .OrderBy(r => r.Definition.Name, StringComparer.Ordinal).ThenBy(r => r.Id)
            .Select(r => Reason(r.Definition.Condition, definition, answers) is { } reason ? new MatchedRule(r.Id, r.RuleVersion, r.Definition.Name, reason) : null)
            .OfType<MatchedRule>()
            .ToList();

    public static string? Reason(CaseCondition condition, QuestionnaireDefinition definition, IReadOnlyDictionary<string, Answer> answers)
    {
        var answered = definition.Questions
            .Where(q => answers.ContainsKey(q.Id))
            .Where(q => condition.QuestionKey is not { Length: > 0 } key || q.AnalyticsKey == key || q.Id == key)
            .Select(q => (Question: q, Answer: answers[q.Id]));
        foreach (var (question, answer) in answered)
        {
            switch (condition.Kind)
            {
                case CaseConditionKind.NpsAtMost when question.Type == QuestionType.Nps && answer.Number <= condition.Threshold:
                    return $"NPS {answer.Number} on '{question.AnalyticsKey}' is at most {condition.Threshold}.";
                case CaseConditionKind.CsatAtMost when question.Type == QuestionType.Csat && answer.Number <= condition.Threshold:
                    return $"CSAT {answer.Number} on '{question.AnalyticsKey}' is at most {condition.Threshold}.";
                case CaseConditionKind.ChoiceSelected when condition.QuestionKey is { Length: > 0 } && condition.Choice is { } choice
                    && (answer.Text == choice && question.Type == QuestionType.SingleChoice || answer.Choices?.Contains(choice) == true):
                    return $"'{choice}' was chosen on '{question.AnalyticsKey}'.";
                case CaseConditionKind.TextContains when question.Type == QuestionType.FreeText && answer.Text is { } text
                    && condition.Keywords?.FirstOrDefault(k => KeywordText.Contains(text, k)) is { } keyword:
                    return $"The answer to '{question.AnalyticsKey}' mentions '{keyword.Trim()}'.";
            }
        }
        return null;
    }
}
