using System.Text;
using System.Text.RegularExpressions;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>
/// Question ids. A SurveyJS name that is a valid id (QuestionnaireValidator's pattern) and not used by an earlier question
/// is kept. Any other name gets a sanitized id (invalid characters to '_', "q_" before a leading non-letter), made unique with
/// _2, _3...; each rename is an issue. References ({name}, {name.part}, {name[0]} in expressions and texts) are rewritten
/// to the id in its exact case: SurveyJS matches names ignoring case, our validator does not. A repeated name is renamed
/// too, but references to it keep meaning the first question with that name.
/// </summary>
internal static partial class IdAssigner
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("_{2,}")]
    private static partial Regex Underscores();

    public static List<Question> Assign(ImportContext ctx, IReadOnlyList<Draft> drafts)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var keep = drafts.Select(d => IdPattern().IsMatch(d.Name) && used.Add(d.Name)).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        var ids = new string[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            var name = drafts[i].Name;
            var first = seen.Add(name);
            if (keep[i]) { ids[i] = name; continue; }
            var id = ids[i] = Unique(Sanitize(name), used);
            if (first && !IdPattern().IsMatch(name))
            {
                renames[name] = id;
                ctx.Issue($"{drafts[i].Path}.name", $"'{name}' is not a valid question id; renamed to '{id}', references to it were rewritten.");
            }
            else ctx.Issue($"{drafts[i].Path}.name", $"The name '{name}' is used by an earlier question too; this one was renamed to '{id}' (references to it mean the first one).");
        }
        var resolver = new References(renames, ids);
        var questions = drafts.Select((d, i) => Rewrite(d.Question with { Id = ids[i] }, resolver.Resolve)).ToList();
        ReportDangling(ctx, drafts, questions);
        return questions;
    }

    private static string Sanitize(string name)
    {
        var id = new StringBuilder(name.Length);
        foreach (var c in name) id.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        var s = Underscores().Replace(id.ToString(), "_").Trim('_', '-');
        if (s.Length == 0) s = "q";
        else if (!char.IsAsciiLetter(s[0])) s = "q_" + s;
        return s.Length > 56 ? s[..56].TrimEnd('_', '-') : s;
    }

    private static string Unique(string id, HashSet<string> used)
    {
        var candidate = id;
        for (var n = 2; !used.Add(candidate); n++) candidate = $"{id}_{n}";
        return candidate;
    }

    private static Question Rewrite(Question q, Func<string, string> resolve)
    {
        string? Refs(string? text) => text is null ? null : Placeholder().Replace(text, m => $"{{{resolve(m.Groups[1].Value.Trim())}}}");
        LocalizedText? Texts(LocalizedText? text) => text is null ? null : new LocalizedText(text.ToDictionary(kv => kv.Key, kv => Refs(kv.Value)!));
        return q with
        {
            Text = Texts(q.Text)!,
            Description = Texts(q.Description),
            VisibleIf = Refs(q.VisibleIf),
            RequiredIf = Refs(q.RequiredIf),
            MinLabel = Texts(q.MinLabel),
            MaxLabel = Texts(q.MaxLabel),
            Choices = q.Choices?.Select(c => c with { Text = Texts(c.Text)! }).ToList(),
        };
    }

    /// <summary>
    /// Resolves {name}, {name.part} and {name[0]} as SurveyJS does (names match ignoring case, the longest name before '.' or '['
    /// wins) and writes the question's id in its exact case. Data fields ({customer.name}) and unknown names stay as written.
    /// </summary>
    private sealed class References(Dictionary<string, string> renames, string[] ids)
    {
        public string Resolve(string reference)
        {
            var hash = reference.StartsWith('#') ? "#" : ""; // {#name}: SurveyJS's "no conversion" prefix
            var name = reference[hash.Length..];
            if (Piping.IsDataField(name, out _)) return reference;
            var (old, id) = Match(name, renames.Keys, k => renames[k]) ?? Match(name, ids, k => k) ?? (name, name);
            return hash + id + name[old.Length..];
        }

        private static (string Old, string Id)? Match(string name, IEnumerable<string> keys, Func<string, string> id)
        {
            var list = keys.ToList();
            var whole = list.FirstOrDefault(k => k == name) ?? list.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (whole is not null) return (whole, id(whole));
            var prefix = list.Where(k => k.Length < name.Length && name[k.Length] is '.' or '[' && name.StartsWith(k, StringComparison.OrdinalIgnoreCase))
                .MaxBy(k => k.Length);
            return prefix is null ? null : (prefix, id(prefix));
        }
    }

    /// <summary>Logic and piping that name no imported question (it was skipped, or never existed) are reported; they are kept as written.</summary>
    private static void ReportDangling(ImportContext ctx, IReadOnlyList<Draft> drafts, List<Question> questions)
    {
        var ids = questions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var texts = new List<(string Field, string? Text)> { ("visibleIf", q.VisibleIf), ("requiredIf", q.RequiredIf) };
            texts.AddRange(q.Text.Values.Select(t => ("title", (string?)t)));
            texts.AddRange((q.Description ?? []).Values.Select(t => ("description", (string?)t)));
            var reported = new HashSet<string>();
            foreach (var (field, text) in texts)
                foreach (var name in Piping.Placeholders(text ?? ""))
                {
                    var reference = name.TrimStart('#');
                    if (Piping.IsDataField(reference, out _) || ids.Contains(reference.Split('.', '[')[0]) || !reported.Add($"{field}:{name}")) continue;
                    ctx.Issue($"{drafts[i].Path}.{field}", $"'{{{name}}}' does not name an imported question; the reference was kept as written.");
                }
        }
    }
}
