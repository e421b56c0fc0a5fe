namespace Survey.Domain.Questionnaires.Logic;

/// <summary>
/// JavaScript coercions and SurveyJS's value helpers (helpers.ts) over the evaluator's values:
/// null, bool, double, string, object?[] (arrays) and Dictionary&lt;string, object?&gt; (objects).
/// </summary>
internal static class JsValue
{
    public static bool ToBoolean(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    /// <summary>Helpers.isValueEmpty: null, "", NaN, an empty array, or an object whose values are all empty.</summary>
    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        double d => double.IsNaN(d),
        object?[] items => items.Length == 0,
        Dictionary<string, object?> map => map.Values.All(IsEmpty),
        _ => false,
    };

    public static object? ToPrimitive(object? value) => value switch
    {
        object?[] items => Join(items, ","),
        Dictionary<string, object?> => "[object Object]",
        _ => value,
    };

    public static string ToJsString(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => JsNumber.ToString(d),
        string s => s,
        object?[] or Dictionary<string, object?> => (string)ToPrimitive(value)!,
        _ => value.ToString() ?? "",
    };

    /// <summary>Array.prototype.join: null items become "".</summary>
    public static string Join(object?[] items, string separator) =>
        string.Join(separator, items.Select(item => item is null ? "" : ToJsString(item)));

    public static double ToNumber(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        double d => d,
        string s => JsNumber.Parse(s),
        object?[] or Dictionary<string, object?> => ToNumber(ToPrimitive(value)),
        _ => double.NaN,
    };

    /// <summary>JavaScript <c>a + b</c>.</summary>
    public static object Plus(object? a, object? b)
    {
        var left = ToPrimitive(a);
        var right = ToPrimitive(b);
        return left is string || right is string ? ToJsString(left) + ToJsString(right) : ToNumber(left) + ToNumber(right);
    }

    /// <summary>JavaScript <c>a &lt; b</c>: strings compare by UTF-16 code units, anything else as numbers (NaN is never less).</summary>
    public static bool LessThan(object? a, object? b)
    {
        var left = ToPrimitive(a);
        var right = ToPrimitive(b);
        return left is string l && right is string r ? string.CompareOrdinal(l, r) < 0 : ToNumber(left) < ToNumber(right);
    }

    /// <summary>SurveyJS's ConditionRunner result: <c>value == true</c>, JavaScript loose equality.</summary>
    public static bool LooseEqualsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        _ => ToNumber(value) == 1,
    };

    /// <summary>
    /// Helpers.checkIfValuesEqual with SurveyJS's defaults (settings.comparator: caseSensitive false, trimStrings true;
    /// ignoreOrder true as in the "=" operator). So 'Repair' = ' repair', 5 = '5', true = 'TRUE', null = '',
    /// ['a','b'] = ['b','a']; but 0 != '' and ['a'] != 'a'.
    /// </summary>
    public static bool ValuesEqual(object? x, object? y)
    {
        if (StrictEquals(x, y)) return true;
        if ((x is null && y is "") || (y is null && x is "")) return true;
        if (x is string sx && y is string sy)
            return string.Equals(sx.Trim().ToLowerInvariant(), sy.Trim().ToLowerInvariant(), StringComparison.Ordinal);
        if (IsEmpty(x) != IsEmpty(y)) return false;
        if (x is bool bx && y is string ty) return (bx ? "true" : "false") == ty.ToLowerInvariant();
        if (y is bool by && x is string tx) return (by ? "true" : "false") == tx.ToLowerInvariant();
        var xIsObject = x is object?[] or Dictionary<string, object?>;
        var yIsObject = y is object?[] or Dictionary<string, object?>;
        if (!xIsObject && !yIsObject) return LooseEquals(x, y);
        return (x, y) switch
        {
            (object?[] a, object?[] b) => ArraysEqualIgnoringOrder(a, b),
            (Dictionary<string, object?> a, Dictionary<string, object?> b) =>
                a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && ValuesEqual(pair.Value, other)),
            _ => false,
        };
    }

    private static bool StrictEquals(object? x, object? y) => (x, y) switch
    {
        (null, null) => true,
        (double a, double b) => a == b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (bool a, bool b) => a == b,
        _ => ReferenceEquals(x, y),
    };

    /// <summary>JavaScript <c>==</c> between primitives.</summary>
    private static bool LooseEquals(object? x, object? y) => (x, y) switch
    {
        (null, _) or (_, null) => x is null && y is null,
        (bool a, _) => LooseEquals(a ? 1.0 : 0.0, y),
        (_, bool b) => LooseEquals(x, b ? 1.0 : 0.0),
        (double a, double b) => a == b,
        (double a, string b) => a == JsNumber.Parse(b),
        (string a, double b) => JsNumber.Parse(a) == b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        _ => false,
    };

    // Helpers.checkIfArraysEqual with ignoreOrder: both copies are sorted with JavaScript's default sort (by the
    // items' string forms, stable), then compared item by item.
    private static bool ArraysEqualIgnoringOrder(object?[] a, object?[] b)
    {
        if (a.Length != b.Length) return false;
        var sortedA = a.OrderBy(ToJsString, StringComparer.Ordinal).ToArray();
        var sortedB = b.OrderBy(ToJsString, StringComparer.Ordinal).ToArray();
        for (var i = 0; i < sortedA.Length; i++)
            if (!ValuesEqual(sortedA[i], sortedB[i])) return false;
        return true;
    }
}
