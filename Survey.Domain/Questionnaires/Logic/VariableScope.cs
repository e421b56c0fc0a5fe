namespace Survey.Domain.Questionnaires.Logic;

/// <summary>
/// Resolves {name} the way SurveyJS's ProcessValue does: keys match case-insensitively; "a.b" is first looked up as a
/// key of its own, then as the longest key before a '.' or '[' followed by a path into objects ("customer.name"),
/// arrays ("q[0]") and ".length" (0 when the array or text is missing).
/// </summary>
internal sealed class VariableScope(IReadOnlyDictionary<string, object?> values)
{
    private const string LengthSuffix = ".length";

    public object? Get(string name, bool keepRawValue)
    {
        // SurveyJS treats an empty answer ("" or []) as no answer: {q} then evaluates to null.
        if (!TryResolve(name, out var value) || JsValue.IsEmpty(value))
            return name.EndsWith(LengthSuffix, StringComparison.Ordinal) ? 0.0 : null;
        return keepRawValue ? value : SurveyConversions.CorrectValue(value);
    }

    private bool TryResolve(string name, out object? value)
    {
        value = null;
        var key = FindKey(values.Keys, name, out var isWholeName);
        if (key is null) return false;
        value = ClrValues.FromClr(values[key]);
        return isWholeName || TryWalk(name[key.Length..], ref value);
    }

    private static bool TryWalk(string path, ref object? value)
    {
        while (path.Length > 0)
        {
            if (path[0] == '[')
            {
                var close = path.IndexOf(']');
                if (close < 0 || !int.TryParse(path.AsSpan(1, close - 1), out var index)
                    || value is not object?[] items || index < 0 || index >= items.Length) return false;
                value = items[index];
                path = path[(close + 1)..];
                continue;
            }
            if (path[0] != '.') return false;
            path = path[1..];
            if (value is Dictionary<string, object?> map && FindKey(map.Keys, path, out var isWholeName) is { } key)
            {
                value = map[key];
                path = isWholeName ? "" : path[key.Length..];
            }
            else if (value is object?[] or string && path.StartsWith("length", StringComparison.Ordinal)
                     && (path.Length == 6 || path[6] is '.' or '['))
            {
                value = (double)(value is string text ? text.Length : ((object?[])value).Length);
                path = path[6..];
            }
            else return false;
        }
        return true;
    }

    /// <summary>The key equal to <paramref name="name"/> (exact, else ignoring case), else the longest key that is a prefix ending before '.' or '['.</summary>
    private static string? FindKey(IEnumerable<string> keys, string name, out bool isWholeName)
    {
        string? exact = null, caseless = null, prefix = null;
        foreach (var key in keys)
        {
            if (key.Length == name.Length)
            {
                if (string.Equals(key, name, StringComparison.Ordinal)) exact = key;
                else if (caseless is null && string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) caseless = key;
            }
            else if (key.Length > 0 && key.Length < name.Length && name[key.Length] is '.' or '['
                     && name.StartsWith(key, StringComparison.OrdinalIgnoreCase) && key.Length > (prefix?.Length ?? 0))
                prefix = key;
        }
        isWholeName = exact is not null || caseless is not null;
        return exact ?? caseless ?? prefix;
    }
}
