using Survey.Domain.Common;

namespace Survey.Domain.Questionnaires;

/// <summary>One translatable text: a stable key (by ids, not positions), the text in the default locale, and its translation.</summary>
public sealed record TranslationEntry(string Key, string Source, string? Text);

/// <summary>
/// The translator's view of a questionnaire: every text keyed by ids (<c>questions.nps.text</c>,
/// <c>questions.wrong.choices.wait</c>), so a translation file survives reordering.
/// </summary>
public static class Translations
{
    public static IReadOnlyList<TranslationEntry> Entries(QuestionnaireDefinition d, string locale) =>
        Texts(d).Select(t => new TranslationEntry(t.Key, t.Text.In(d.DefaultLocale) ?? "", t.Text.In(locale))).ToList();

    /// <summary>
    /// Sets the given texts in <paramref name="locale"/>; an empty text removes that translation.
    /// Unknown keys, a locale the questionnaire does not use, or the default locale itself are refused with their paths.
    /// </summary>
    public static QuestionnaireDefinition Apply(QuestionnaireDefinition d, string locale, IReadOnlyDictionary<string, string?> texts)
    {
        var problems = new List<InputProblem>();
        if (!d.Locales.Contains(locale, StringComparer.OrdinalIgnoreCase))
            problems.Add(new("locale", "unknown-locale", $"'{locale}' is not one of the questionnaire's locales ({string.Join(", ", d.Locales)}); add it to the details first."));
        else if (locale.Equals(d.DefaultLocale, StringComparison.OrdinalIgnoreCase))
            problems.Add(new("locale", "default-locale", "Texts in the default locale are edited on the questions themselves."));
        var known = Texts(d).Select(t => t.Key).ToHashSet();
        problems.AddRange(texts.Keys.Where(k => !known.Contains(k)).Select(k => new InputProblem($"texts.{k}", "unknown-key", $"'{k}' is not a text of this questionnaire.")));
        InvalidInputException.ThrowIfAny(problems);
        var tag = d.Locales.First(l => l.Equals(locale, StringComparison.OrdinalIgnoreCase));

        LocalizedText? With(LocalizedText? text, string key)
        {
            if (text is null || !texts.TryGetValue(key, out var value)) return text;
            var copy = new LocalizedText(text);
            if (string.IsNullOrWhiteSpace(value)) copy.Remove(tag);
            else copy[tag] = value;
            return copy;
        }

        return d with
        {
            Title = With(d.Title, "title")!,
            Description = With(d.Description, "description"),
            Questions = d.Questions.Select(q => q with
            {
                Text = With(q.Text, $"questions.{q.Id}.text")!,
                Description = With(q.Description, $"questions.{q.Id}.description"),
                MinLabel = With(q.MinLabel, $"questions.{q.Id}.minLabel"),
                MaxLabel = With(q.MaxLabel, $"questions.{q.Id}.maxLabel"),
                Choices = q.Choices?.Select(c => c with { Text = With(c.Text, $"questions.{q.Id}.choices.{c.Value}")! }).ToList(),
            }).ToList(),
        };
    }

    private static IEnumerable<(string Key, LocalizedText Text)> Texts(QuestionnaireDefinition d)
    {
        yield return ("title", d.Title);
        if (d.Description is not null) yield return ("description", d.Description);
        foreach (var q in d.Questions)
        {
            yield return ($"questions.{q.Id}.text", q.Text);
            if (q.Description is not null) yield return ($"questions.{q.Id}.description", q.Description);
            if (q.MinLabel is not null) yield return ($"questions.{q.Id}.minLabel", q.MinLabel);
            if (q.MaxLabel is not null) yield return ($"questions.{q.Id}.maxLabel", q.MaxLabel);
            foreach (var c in q.Choices ?? []) yield return ($"questions.{q.Id}.choices.{c.Value}", c.Text);
        }
    }
}
