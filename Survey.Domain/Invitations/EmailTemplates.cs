using System.Text.RegularExpressions;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;

namespace Survey.Domain.Invitations;

/// <summary>
/// A marketer's own invitation email for one questionnaire and language: subject, HTML body and plain-text body, with
/// placeholders such as <c>{customer.name}</c>, <c>{nps.links}</c> and <c>{unsubscribe.url}</c> filled at send time.
/// </summary>
public sealed record EmailTemplate(string Subject, string Html, string Text);

/// <summary>The placeholders an invitation email may use, the rules a template must keep, and how it is filled.</summary>
public static partial class EmailTemplates
{
    public const int MaxSubject = 200, MaxHtml = 100_000, MaxText = 20_000;

    /// <summary>Placeholders of the email itself; O-data fields (<c>customer.*</c>, <c>dealer.*</c>, <c>region.*</c>, <c>event.*</c>) come from <see cref="Piping"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> EmailFields = new Dictionary<string, string>
    {
        ["survey.title"] = "the questionnaire's title in the recipient's language",
        ["survey.url"] = "the link to the hosted survey page",
        ["nps.links"] = "the 0-10 row (HTML) or list (text) of links that open the survey with that score chosen",
        ["question"] = "the questionnaire's NPS question in the recipient's language",
        ["sender.name"] = "the brand the invitation is sent in",
        ["unsubscribe.url"] = "the unsubscribe link (required in the HTML and text bodies)",
    };

    /// <summary>Placeholders are <c>{name}</c> or <c>{name.field}</c> with no spaces, so CSS rules (<c>a { color: red }</c>) are left alone.</summary>
    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}")]
    private static partial Regex Placeholder();

    public static IEnumerable<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    public static IReadOnlyList<InputProblem> Validate(EmailTemplate? template)
    {
        if (template is null) return [new("", "required", "A template with subject, html and text is required.")];
        var problems = new List<InputProblem>();
        void Body(string path, string? body, int max)
        {
            if (string.IsNullOrWhiteSpace(body)) { problems.Add(new(path, "required", $"{path} is required.")); return; }
            if (body.Length > max) problems.Add(new(path, "too-long", $"{path} is at most {max} characters."));
            var used = Placeholders(body).ToHashSet();
            if (!used.Contains("unsubscribe.url"))
                problems.Add(new(path, "unsubscribe-required", $"{path} must contain {{unsubscribe.url}}: every invitation email offers a way out."));
            if (!used.Contains("survey.url") && !used.Contains("nps.links"))
                problems.Add(new(path, "link-required", $"{path} must contain {{survey.url}} or {{nps.links}}."));
            Unknown(path, used);
        }
        void Unknown(string path, IEnumerable<string> used)
        {
            foreach (var name in used.Where(n => !Known(n)).Distinct())
                problems.Add(new(path, "unknown-placeholder", $"{{{name}}} is not a placeholder of invitation emails."));
        }

        if (string.IsNullOrWhiteSpace(template.Subject)) problems.Add(new("subject", "required", "subject is required."));
        else
        {
            if (template.Subject.Length > MaxSubject) problems.Add(new("subject", "too-long", $"subject is at most {MaxSubject} characters."));
            if (template.Subject.Any(c => c is '\r' or '\n')) problems.Add(new("subject", "line-break", "subject is one line."));
            var used = Placeholders(template.Subject).ToList();
            foreach (var name in used.Where(n => n is "nps.links" or "survey.url" or "unsubscribe.url").Distinct())
                problems.Add(new("subject", "placeholder-not-allowed", $"{{{name}}} cannot be used in the subject."));
            Unknown("subject", used);
        }
        Body("html", template.Html, MaxHtml);
        Body("text", template.Text, MaxText);
        return problems;
    }

    private static bool Known(string name) => EmailFields.ContainsKey(name) || (Piping.IsDataField(name, out var known) && known);

    /// <summary>Fills a template body; <paramref name="encode"/> is applied to every value except the ones given as already formatted.</summary>
    public static string Fill(string body, Func<string, string?> value, Func<string, string> encode, IReadOnlyDictionary<string, string> formatted) =>
        Placeholder().Replace(body, m =>
        {
            var name = m.Groups[1].Value;
            return formatted.TryGetValue(name, out var ready) ? ready : encode(value(name) ?? "");
        });
}
