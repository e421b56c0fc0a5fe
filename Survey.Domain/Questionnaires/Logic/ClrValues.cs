using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Survey.Domain.Questionnaires.Logic;

/// <summary>Conversion between caller values and the evaluator's JavaScript-like values.</summary>
internal static class ClrValues
{
    private const int MaxDepth = 32;
    private const int MaxItems = 100_000;

    /// <summary>
    /// Numbers become double; lists and other non-string enumerables become object?[]; dictionaries and JSON objects
    /// become Dictionary&lt;string, object?&gt;; dates become ISO text (SurveyJS stores dates as "yyyy-MM-dd" text).
    /// Anything nested deeper than <see cref="MaxDepth"/> or beyond <see cref="MaxItems"/> values is dropped (null),
    /// which also stops self-referencing lists.
    /// </summary>
    public static object? FromClr(object? value)
    {
        var budget = MaxItems;
        return Convert(value, 0, ref budget);
    }

    public static object? ToPublic(object? value) => value switch
    {
        double d => ToDecimal(d),
        object?[] items => items.Select(ToPublic).ToArray(),
        Dictionary<string, object?> map => map.ToDictionary(pair => pair.Key, pair => ToPublic(pair.Value), StringComparer.Ordinal),
        _ => value,
    };

    // Through the shortest round-trip text, so 0.1 + 0.2 = 0.30000000000000004 in JavaScript comes back as exactly that.
    private static decimal? ToDecimal(double value) =>
        double.IsFinite(value) && decimal.TryParse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
            ? result
            : null;

    private static object? Convert(object? value, int depth, ref int budget)
    {
        if (depth > MaxDepth || --budget < 0) return null;
        switch (value)
        {
            case null or DBNull: return null;
            case string s: return s;
            case bool b: return b;
            case double d: return d;
            case float f: return (double)f;
            case decimal m: return (double)m;
            case int or long or short or byte or sbyte or uint or ulong or ushort: return System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case char c: return c.ToString();
            case JsonElement json: return FromJson(json, depth, ref budget);
            case DateOnly date: return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case DateTime time: return time.ToString(time.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            case DateTimeOffset time: return time.ToString("o", CultureInfo.InvariantCulture);
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, item) in pairs) properties[key] = Convert(item, depth + 1, ref budget);
                return properties;
            case IDictionary map:
                var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in map)
                    entries[System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = Convert(entry.Value, depth + 1, ref budget);
                return entries;
            case IEnumerable items:
                var list = new List<object?>();
                foreach (var item in items)
                {
                    if (budget <= 0) break;
                    list.Add(Convert(item, depth + 1, ref budget));
                }
                return list.ToArray();
            case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
            default: return value.ToString();
        }
    }

    private static object? FromJson(JsonElement json, int depth, ref int budget)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String: return json.GetString();
            case JsonValueKind.Number: return json.TryGetDouble(out var number) ? number : null;
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in json.EnumerateArray()) list.Add(Convert(item, depth + 1, ref budget));
                return list.ToArray();
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in json.EnumerateObject()) map[property.Name] = Convert(property.Value, depth + 1, ref budget);
                return map;
            default: return null;
        }
    }
}
