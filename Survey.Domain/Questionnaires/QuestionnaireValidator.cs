using System.Globalization;
using System.Text.RegularExpressions;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires.Logic;

namespace Survey.Domain.Questionnaires;

/// <summary>
/// Checks a whole questionnaire definition and reports every problem with its path, not just the first.
/// Drafts may lack translations; a definition about to be published may not.
/// </summary>
public static partial class QuestionnaireValidator
{
    public const int MaxQuestions = 500;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();

    public static IReadOnlyList<InputProblem> Validate(QuestionnaireDefinition d, bool forPublish = false)
    {
        var problems = new List<InputProblem>();
        CheckLocales(d, problems);
        CheckText(d.Title, "title", d, forPublish, problems, required: true);
        if (d.Description is not null) CheckText(d.Description, "description", d, forPublish, problems, required: false);

        var questions = d.Questions ?? [];
        if (questions.Count > MaxQuestions)
            problems.Add(new("questions", "too-many", $"A questionnaire holds at most {MaxQuestions} questions."));
        if (forPublish && questions.Count == 0)
            problems.Add(new("questions", "empty", "A questionnaire needs at least one question to be published."));

        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var path = $"questions[{i}]";
            if (q is null) { problems.Add(new(path, "required", "A question cannot be null.")); continue; }
            if (string.IsNullOrWhiteSpace(q.Id) || !IdPattern().IsMatch(q.Id))
                problems.Add(new($"{path}.id", "invalid-id", "A question id starts with a letter and holds up to 64 letters, digits, '_' or '-'."));
            else if (!positions.TryAdd(q.Id, i))
                problems.Add(new($"{path}.id", "duplicate-id", $"Question id '{q.Id}' is already used by questions[{positions[q.Id]}]."));
            if (q.Key is not null && !IdPattern().IsMatch(q.Key))
                problems.Add(new($"{path}.key", "invalid-id", "A key starts with a letter and holds up to 64 letters, digits, '_' or '-'."));
            if (q.Page < 1)
                problems.Add(new($"{path}.page", "out-of-range", "Pages are numbered from 1."));
            else if (i > 0 && questions[i - 1] is { } previous && q.Page < previous.Page)
                problems.Add(new($"{path}.page", "page-order", $"Page {q.Page} comes after page {previous.Page}; questions run through pages in order."));

            problems.AddRange(QuestionTypes.Check(q, path));
            CheckText(q.Text, $"{path}.text", d, forPublish, problems, required: true);
            if (q.Description is not null) CheckText(q.Description, $"{path}.description", d, forPublish, problems, required: false);
            if (q.MinLabel is not null) CheckText(q.MinLabel, $"{path}.minLabel", d, forPublish, problems, required: false);
            if (q.MaxLabel is not null) CheckText(q.MaxLabel, $"{path}.maxLabel", d, forPublish, problems, required: false);
            for (var c = 0; c < (q.Choices?.Count ?? 0); c++)
                if (q.Choices![c]?.Text is { } choiceText)
                    CheckText(choiceText, $"{path}.choices[{c}].text", d, forPublish, problems, required: false);
        }

        CheckLogic(questions, positions, problems);
        CheckPiping(d, positions, problems);
        return problems;
    }

    private static void CheckLocales(QuestionnaireDefinition d, List<InputProblem> problems)
    {
        var locales = d.Locales ?? [];
        if (locales.Count == 0) problems.Add(new("locales", "required", "List at least one locale, e.g. [\"zh-CN\", \"en\"]."));
        for (var i = 0; i < locales.Count; i++)
            if (!IsCulture(locales[i]))
                problems.Add(new($"locales[{i}]", "unknown-locale", $"'{locales[i]}' is not a known locale tag."));
        foreach (var dup in locales.GroupBy(l => l, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add(new("locales", "duplicate-locale", $"Locale '{dup.Key}' is listed twice."));
        if (string.IsNullOrWhiteSpace(d.DefaultLocale))
            problems.Add(new("defaultLocale", "required", "A default locale is required."));
        else if (!locales.Contains(d.DefaultLocale, StringComparer.OrdinalIgnoreCase))
            problems.Add(new("defaultLocale", "unknown-locale", $"The default locale '{d.DefaultLocale}' must be one of the locales."));
    }

    private static bool IsCulture(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 35) return false;
        try { return !CultureInfo.GetCultureInfo(tag, predefinedOnly: true).Equals(CultureInfo.InvariantCulture); }
        catch (CultureNotFoundException) { return false; }
    }

    private static void CheckText(LocalizedText? text, string path, QuestionnaireDefinition d, bool forPublish, List<InputProblem> problems, bool required)
    {
        if (text is null || text.Count == 0)
        {
            if (required) problems.Add(new(path, "required", "Text is required."));
            return;
        }
        var locales = d.Locales ?? [];
        foreach (var (locale, value) in text)
        {
            if (!locales.Contains(locale, StringComparer.OrdinalIgnoreCase))
                problems.Add(new($"{path}.{locale}", "unknown-locale", $"'{locale}' is not one of the questionnaire's locales."));
            else if (value is { Length: > QuestionTypes.MaxTextLength })
                problems.Add(new($"{path}.{locale}", "too-long", $"Texts hold at most {QuestionTypes.MaxTextLength} characters."));
        }
        if (required && !string.IsNullOrWhiteSpace(d.DefaultLocale) && string.IsNullOrWhiteSpace(text.In(d.DefaultLocale)))
            problems.Add(new($"{path}.{d.DefaultLocale}", "required", $"Text in the default locale '{d.DefaultLocale}' is required."));
        if (forPublish)
            foreach (var locale in locales.Where(l => !l.Equals(d.DefaultLocale, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(text.In(l))))
                problems.Add(new($"{path}.{locale}", "missing-translation", $"Translation to '{locale}' is missing."));
    }

    private static void CheckLogic(IReadOnlyList<Question> questions, Dictionary<string, int> positions, List<InputProblem> problems)
    {
        var dependsOn = new Dictionary<string, HashSet<string>>();
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            if (q is null) continue;
            foreach (var (field, expression) in new[] { ("visibleIf", q.VisibleIf), ("requiredIf", q.RequiredIf) })
            {
                if (expression is null) continue;
                var path = $"questions[{i}].{field}";
                var parsed = LogicExpression.Parse(expression);
                if (!parsed.Succeeded)
                {
                    problems.AddRange(parsed.Errors.Select(e => new InputProblem(path, e.Code, $"{e.Message} (at position {e.Position})")));
                    continue;
                }
                foreach (var name in parsed.Expression!.Variables)
                {
                    if (Piping.IsDataField(name, out var known))
                    {
                        if (!known) problems.Add(new(path, "unknown-reference", $"'{{{name}}}' is not an operational data field."));
                        continue;
                    }
                    var root = QuestionReference(name);
                    if (!positions.TryGetValue(root, out var target))
                        problems.Add(new(path, "unknown-reference", $"'{{{name}}}' does not name a question of this questionnaire."));
                    else if (target == i)
                        problems.Add(new(path, "cycle", $"The question's logic refers to its own answer '{{{name}}}'."));
                    else
                    {
                        if (!string.IsNullOrEmpty(q.Id)) (dependsOn.TryGetValue(q.Id, out var set) ? set : dependsOn[q.Id] = []).Add(root);
                        if (target > i)
                            problems.Add(new(path, "forward-reference", $"'{{{name}}}' is asked later (questions[{target}]); logic can only use earlier answers."));
                    }
                }
            }
        }
        foreach (var cycle in Cycles(dependsOn))
        {
            var first = positions.TryGetValue(cycle[0], out var at) ? at : 0;
            problems.Add(new($"questions[{first}].visibleIf", "cycle", $"Logic forms a cycle: {string.Join(" -> ", cycle.Append(cycle[0]))}."));
        }
    }

    /// <summary>SurveyJS lets logic address parts of an answer ({q.length}, {q[0]}); the question is the part before the first '.' or '['.</summary>
    private static string QuestionReference(string name) => name.Split(['.', '['], 2)[0];

    private static IEnumerable<List<string>> Cycles(Dictionary<string, HashSet<string>> edges)
    {
        var reported = new HashSet<string>();
        var state = new Dictionary<string, int>(); // 1 = on stack, 2 = done
        var stack = new List<string>();
        var cycles = new List<List<string>>();
        void Visit(string node)
        {
            state[node] = 1;
            stack.Add(node);
            foreach (var next in edges.TryGetValue(node, out var n) ? n.Order() : Enumerable.Empty<string>())
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var cycle = stack[stack.IndexOf(next)..];
                    if (cycle.All(reported.Add)) cycles.Add(cycle);
                }
                else if (state.GetValueOrDefault(next) == 0) Visit(next);
            }
            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
        }
        foreach (var node in edges.Keys.Order()) if (state.GetValueOrDefault(node) == 0) Visit(node);
        return cycles;
    }

    private static void CheckPiping(QuestionnaireDefinition d, Dictionary<string, int> positions, List<InputProblem> problems)
    {
        var questions = d.Questions ?? [];
        for (var i = 0; i < questions.Count; i++)
        {
            if (questions[i] is not { } q) continue;
            var texts = new List<(string Path, LocalizedText? Text)> { ($"questions[{i}].text", q.Text), ($"questions[{i}].description", q.Description) };
            foreach (var (path, text) in texts)
                foreach (var (locale, value) in text ?? [])
                    foreach (var name in Piping.Placeholders(value ?? ""))
                    {
                        if (Piping.IsDataField(name, out var known))
                        {
                            if (!known) problems.Add(new($"{path}.{locale}", "unknown-placeholder", $"'{{{name}}}' is not an operational data field."));
                        }
                        else if (!positions.TryGetValue(name, out var target))
                            problems.Add(new($"{path}.{locale}", "unknown-placeholder", $"'{{{name}}}' is neither a data field (customer.*, dealer.*, region.*, event.*) nor a question id."));
                        else if (target >= i)
                            problems.Add(new($"{path}.{locale}", "forward-reference", $"'{{{name}}}' is answered later; piping can only use earlier answers."));
                    }
        }
    }
}
