using System.Text;
using Survey.Domain.Common;

namespace Survey.Domain.Cases;

/// <summary>What makes a completed response open a case.</summary>
public enum CaseConditionKind { NpsAtMost, CsatAtMost, ChoiceSelected, TextContains }

/// <summary>
/// One condition. <paramref name="Threshold"/> for NPS (0-10) and CSAT (1-5); <paramref name="QuestionKey"/> narrows the check to one
/// question (its analytics key, or its id) and is required for a chosen answer; <paramref name="Choice"/> is the choice value;
/// <paramref name="Keywords"/> match free text case-insensitively (full-width letters count as their ASCII forms).
/// </summary>
public sealed record CaseCondition(CaseConditionKind Kind, int? Threshold = null, string? QuestionKey = null, string? Choice = null, IReadOnlyList<string>? Keywords = null);

public sealed record CaseRuleDefinition(string Name, CaseCondition Condition, bool Active = true);

/// <summary>Every save of a rule is a new version of it, so a case can say which version opened it.</summary>
public sealed record CaseRuleDefined(Guid RuleId, int RuleVersion, CaseRuleDefinition Definition, DateTimeOffset DefinedAt);
public sealed record CaseRuleRetired(Guid RuleId, DateTimeOffset RetiredAt);

public sealed record CaseRule(Guid Id, int RuleVersion, CaseRuleDefinition Definition, bool Retired, DateTimeOffset UpdatedAt)
{
    /// <summary>Stream version, set by the event store; used as the ETag.</summary>
    public long Version { get; set; }

    /// <summary>Stored so the completion path can query live rules directly.</summary>
    public bool Live { get; init; }
}

public static class CaseRuleDecider
{
    public const int MaxKeywords = 50;

    public static object[] Define(CaseRule? state, Guid ruleId, CaseRuleDefinition? definition, DateTimeOffset now)
    {
        InvalidInputException.ThrowIfAny(Check(definition));
        if (state is { Retired: true }) throw new RuleViolationException("rule-retired", "This rule was retired; define a new one.");
        if (state is not null && state.Definition.Equals(definition)) return [];
        return [new CaseRuleDefined(ruleId, (state?.RuleVersion ?? 0) + 1, Normalise(definition!), now)];
    }

    public static object[] Retire(CaseRule? state, DateTimeOffset now) => state switch
    {
        null => throw new NotFoundException("This case rule does not exist."),
        { Retired: true } => [],
        _ => [new CaseRuleRetired(state.Id, now)],
    };

    public static CaseRule Evolve(CaseRule? state, object @event) => (state, @event) switch
    {
        (_, CaseRuleDefined e) => new CaseRule(e.RuleId, e.RuleVersion, e.Definition, false, e.DefinedAt) { Live = e.Definition.Active },
        (not null, CaseRuleRetired e) => state with { Retired = true, Live = false, UpdatedAt = e.RetiredAt },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply here."),
    };

    private static CaseRuleDefinition Normalise(CaseRuleDefinition d) => d with
    {
        Name = d.Name.Trim(),
        Condition = d.Condition with { Keywords = d.Condition.Keywords?.Select(k => k.Trim()).ToList() },
    };

    public static IReadOnlyList<InputProblem> Check(CaseRuleDefinition? definition)
    {
        var problems = new List<InputProblem>();
        if (definition is null) return [new("$", "required", "A rule needs a name and a condition.")];
        if (string.IsNullOrWhiteSpace(definition.Name) || definition.Name.Length > 200)
            problems.Add(new("name", "required", "A rule needs a name of at most 200 characters."));
        var c = definition.Condition;
        if (c is null) { problems.Add(new("condition", "required", "A rule needs a condition.")); return problems; }
        switch (c.Kind)
        {
            case CaseConditionKind.NpsAtMost when c.Threshold is not (>= 0 and <= 9):
                problems.Add(new("condition.threshold", "out-of-range", "An NPS threshold runs from 0 to 9 (e.g. 6 for detractors)."));
                break;
            case CaseConditionKind.CsatAtMost when c.Threshold is not (>= 1 and <= 4):
                problems.Add(new("condition.threshold", "out-of-range", "A CSAT threshold runs from 1 to 4 (e.g. 2)."));
                break;
            case CaseConditionKind.ChoiceSelected:
                if (string.IsNullOrWhiteSpace(c.QuestionKey)) problems.Add(new("condition.questionKey", "required", "Name the question whose answer opens a case."));
                if (string.IsNullOrWhiteSpace(c.Choice)) problems.Add(new("condition.choice", "required", "Name the choice value that opens a case."));
                break;
            case CaseConditionKind.TextContains:
                if (c.Keywords is not { Count: > 0 } || c.Keywords.Count > MaxKeywords)
                    problems.Add(new("condition.keywords", "required", $"List 1 to {MaxKeywords} keywords."));
                else
                    for (var i = 0; i < c.Keywords.Count; i++)
                        if (string.IsNullOrWhiteSpace(c.Keywords[i]) || c.Keywords[i].Length > 100)
                            problems.Add(new($"condition.keywords[{i}]", "invalid-keyword", "A keyword is 1 to 100 characters, not only spaces."));
                break;
        }
        if (c.QuestionKey is { Length: > 100 }) problems.Add(new("condition.questionKey", "too-long", "A question key is at most 100 characters."));
        return problems;
    }
}

/// <summary>Folds text for keyword matching: compatibility forms (full-width ＡＢＣ, ｱ) become their plain forms, then case is ignored.</summary>
public static class KeywordText
{
    public static bool Contains(string text, string keyword) =>
        Fold(text).Contains(Fold(keyword.Trim()), StringComparison.OrdinalIgnoreCase);

    private static string Fold(string s) => s.IsNormalized(NormalizationForm.FormKC) ? s : s.Normalize(NormalizationForm.FormKC);
}
