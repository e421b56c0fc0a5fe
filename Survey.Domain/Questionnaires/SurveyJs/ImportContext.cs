using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>
/// State of one import: the issues found, the locales seen and typed readers for SurveyJS property values.
/// A reader never throws: a value of the wrong JSON type becomes an issue at its path and reads as absent.
/// </summary>
internal sealed class ImportContext(string defaultLocale)
{
    private readonly List<SurveyJsImportIssue> _issues = [];
    private readonly List<string> _locales = [defaultLocale];
    private readonly List<(LocalizedText Text, Func<string, string?> InLocale)> _fills = [];

    public string DefaultLocale { get; private set; } = defaultLocale;
    public int? SurveyMaxTextLength { get; set; }
    public IReadOnlyList<SurveyJsImportIssue> Issues => _issues;
    public IReadOnlyList<string> Locales => _locales;

    public void Issue(string path, string reason) => _issues.Add(new(path, reason));

    public void UseDefaultLocale(string tag)
    {
        _locales.Remove(DefaultLocale);
        _locales.Remove(tag);
        _locales.Insert(0, tag);
        DefaultLocale = tag;
    }

    /// <summary>
    /// SurveyJS locale keys are lower case ("zh-cn"); ours are BCP 47 tags ("zh-CN"). "default" is the default locale.
    /// Null when the key is not a known culture.
    /// </summary>
    public string? LocaleTag(string key)
    {
        if (key == "default") return DefaultLocale;
        var parts = key.Split('-', '_');
        for (var i = 0; i < parts.Length; i++)
            parts[i] = i == 0 ? parts[i].ToLowerInvariant()
                : parts[i].Length == 2 ? parts[i].ToUpperInvariant()
                : parts[i].Length == 4 ? char.ToUpperInvariant(parts[i][0]) + parts[i][1..].ToLowerInvariant()
                : parts[i].ToLowerInvariant();
        var tag = string.Join('-', parts);
        try { return CultureInfo.GetCultureInfo(tag, predefinedOnly: true).Equals(CultureInfo.InvariantCulture) ? null : tag; }
        catch (ArgumentException) { return null; } // CultureNotFoundException
    }

    /// <summary>
    /// A SurveyJS localizable string: a plain string is the default locale's text, an object maps locale keys to texts.
    /// The default locale comes first.
    /// </summary>
    public LocalizedText? Text(JsonNode? node, string path)
    {
        if (node is null) return null;
        var entries = new List<(string Tag, string Text)>();
        if (node is JsonObject map)
        {
            // explicit locale keys first: when "default" and the default locale's own key both appear, the explicit key wins
            foreach (var (key, value) in map.OrderBy(kv => kv.Key == "default" ? 1 : 0))
            {
                if (key == "pos") continue; // SurveyJS Creator's source position, not text
                if (Str(value, $"{path}.{key}") is not { Length: > 0 } s) continue;
                if (LocaleTag(key) is not { } tag) { Issue($"{path}.{key}", $"'{key}' is not a known locale; this translation was dropped."); continue; }
                if (entries.Any(e => e.Tag == tag)) { Issue($"{path}.{key}", $"Another key also holds the {tag} text; '{key}' was dropped."); continue; }
                entries.Add((tag, s));
            }
        }
        else if (Str(node, path) is { Length: > 0 } s) entries.Add((DefaultLocale, s));
        if (entries.Count == 0) return null;
        var text = new LocalizedText();
        foreach (var (tag, value) in entries.OrderBy(e => e.Tag == DefaultLocale ? 0 : 1))
        {
            text[tag] = value;
            Seen(tag);
        }
        return text;
    }

    /// <summary>The text, with <paramref name="value"/> as its default-locale text when it has none.</summary>
    public LocalizedText WithDefault(LocalizedText text, string value)
    {
        if (text.ContainsKey(DefaultLocale)) return text;
        var result = LocalizedText.Of(DefaultLocale, value);
        foreach (var (locale, translation) in text) result[locale] = translation;
        return result;
    }

    /// <summary>Text that has no translations of its own (a value or name shown as it is): the same in every locale of the survey.</summary>
    public LocalizedText SameInEveryLocale(string value)
    {
        var text = LocalizedText.Of(DefaultLocale, value);
        _fills.Add((text, _ => value));
        return text;
    }

    /// <summary>A SurveyJS built-in UI string (Yes, No, None...): our copy of its dictionary for every locale we have one for.</summary>
    public LocalizedText BuiltIn(string key)
    {
        var text = LocalizedText.Of(DefaultLocale, BuiltInTexts.In(key, DefaultLocale) ?? BuiltInTexts.In(key, "en")!);
        _fills.Add((text, locale => BuiltInTexts.In(key, locale)));
        return text;
    }

    /// <summary>Once every locale is known: completes the texts registered by <see cref="SameInEveryLocale"/> and <see cref="BuiltIn"/>.</summary>
    public void FillLocales()
    {
        foreach (var (text, inLocale) in _fills)
            foreach (var locale in _locales.Where(l => !text.ContainsKey(l)))
                if (inLocale(locale) is { } value) text[locale] = value;
    }

    public void Seen(string tag)
    {
        if (!_locales.Contains(tag, StringComparer.OrdinalIgnoreCase)) _locales.Add(tag);
    }

    public string? Str(JsonNode? node, string path)
    {
        if (node is null) return null;
        if (node is JsonValue && node.GetValueKind() == JsonValueKind.String) return StringOf(node);
        if (node is JsonValue && node.GetValueKind() == JsonValueKind.Number) return ScalarText(node);
        Issue(path, "Expected a string; the value was dropped.");
        return null;
    }

    /// <summary>A SurveyJS expression (visibleIf, requiredIf...), kept as text; empty means none.</summary>
    public string? Expression(JsonNode? node, string path) => Str(node, path)?.Trim() is { Length: > 0 } e ? e : null;

    public bool? Bool(JsonNode? node, string path)
    {
        switch (node?.GetValueKind())
        {
            case null: return null;
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String when bool.TryParse(StringOf(node), out var b): return b;
            default: Issue(path, "Expected true or false; the value was dropped."); return null;
        }
    }

    public double? Number(JsonNode? node, string path)
    {
        var kind = node?.GetValueKind();
        if (kind is null) return null;
        var raw = kind switch { JsonValueKind.Number => node!.ToJsonString(), JsonValueKind.String => StringOf(node!), _ => null };
        if (raw is not null && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        Issue(path, "Expected a number; the value was dropped.");
        return null;
    }

    /// <summary>A whole number in int range; anything else is reported as <paramref name="what"/> and reads as absent.</summary>
    public int? Int(JsonNode? node, string path, string what = "Expected a whole number; the value was dropped.")
    {
        if (Number(node, path) is not { } d) return null;
        if (d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue) return (int)d;
        Issue(path, what);
        return null;
    }

    /// <summary>A choice or answer value as our text form: strings as they are, numbers in invariant form, booleans as "true"/"false".</summary>
    public static string? ScalarText(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => StringOf(node),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => NumberText(node.ToJsonString()),
        _ => null,
    };

    private static string StringOf(JsonNode node) =>
        node.AsValue().TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(node.ToJsonString()) ?? "";

    private static string NumberText(string raw) =>
        long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l.ToString(CultureInfo.InvariantCulture)
        : double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.ToString("R", CultureInfo.InvariantCulture)
        : raw;
}
