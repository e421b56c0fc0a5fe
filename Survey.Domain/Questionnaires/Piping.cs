using System.Text.RegularExpressions;

namespace Survey.Domain.Questionnaires;

/// <summary>
/// Placeholders such as <c>{customer.name}</c> in question texts are filled server-side from operational data
/// or from earlier answers (<c>{nps}</c>). This lists the fields that exist.
/// </summary>
public static partial class Piping
{
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>?> Namespaces = new Dictionary<string, IReadOnlySet<string>?>
    {
        ["customer"] = new HashSet<string> { "name", "firstName", "lastName", "externalId", "language" },
        ["dealer"] = new HashSet<string> { "name", "code", "city" },
        ["region"] = new HashSet<string> { "name", "code" },
        ["event"] = null, // any attribute of the operational event: {event.vehicleModel}, {event.advisor}
    };

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex PlaceholderPattern();

    public static IEnumerable<string> Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value.Trim());

    /// <summary>True when the name is an O-data field; false when it is not namespaced (it may be a question id).</summary>
    public static bool IsDataField(string name, out bool known)
    {
        var dot = name.IndexOf('.');
        known = false;
        if (dot <= 0) return false;
        var ns = name[..dot];
        if (!Namespaces.TryGetValue(ns, out var fields)) return false;
        var field = name[(dot + 1)..];
        known = field.Length > 0 && (fields is null || fields.Contains(field));
        return true;
    }

    /// <summary>Replaces placeholders with values; unknown ones become empty text so a respondent never sees braces.</summary>
    public static string Fill(string text, Func<string, string?> value) =>
        PlaceholderPattern().Replace(text, m => value(m.Groups[1].Value.Trim()) ?? "");
}
