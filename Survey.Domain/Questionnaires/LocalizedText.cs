namespace Survey.Domain.Questionnaires;

/// <summary>Text in several locales, keyed by BCP 47 tag ("zh-CN", "en").</summary>
public sealed class LocalizedText : Dictionary<string, string>
{
    public LocalizedText() : base(StringComparer.OrdinalIgnoreCase) { }
    public LocalizedText(IDictionary<string, string> values) : base(values, StringComparer.OrdinalIgnoreCase) { }

    public static LocalizedText Of(string locale, string text) => new() { [locale] = text };

    public string? In(string locale) => TryGetValue(locale, out var text) ? text : null;

    public override bool Equals(object? obj) =>
        obj is LocalizedText other && Count == other.Count && this.All(kv => other.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => Count;
}
