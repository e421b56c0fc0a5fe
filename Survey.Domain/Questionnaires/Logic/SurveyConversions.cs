namespace Survey.Domain.Questionnaires.Logic;

/// <summary>SurveyJS's own number recognition (Helpers.getNumber) and answer conversion (Const.getCorrectValue).</summary>
internal static class SurveyConversions
{
    public static bool IsNumber(object? value) => !double.IsNaN(GetNumber(value));

    /// <summary>
    /// Helpers.getNumber: numbers, and text that is a plain number (" 12 ", "1.5", "1,5", "0x1A"). Unlike Number(),
    /// "" is not a number, nor are runs of more than 15 digits (phone numbers, ids) or text containing * / ^ %.
    /// </summary>
    public static double GetNumber(object? value)
    {
        if (value is string text)
        {
            var s = JsNumber.Trim(text);
            if (s.Length == 0) return double.NaN;
            if (s.StartsWith("0x", StringComparison.Ordinal)) return s.Length > 32 ? double.NaN : JsNumber.ParseHexPrefix(s);
            if (s.Length > 15 && s.All(char.IsAsciiDigit)) return double.NaN;
            if (HasOperator(s)) return double.NaN;
            var comma = s.IndexOf(',');
            value = comma > -1 && s.IndexOf(',', comma + 1) < 0 ? s.Replace(',', '.') : s;
        }
        var result = JsNumber.ParseFloatPrefix(JsValue.ToJsString(value));
        return double.IsNaN(result) || !double.IsFinite(JsValue.ToNumber(value)) ? double.NaN : result;
    }

    /// <summary>
    /// Const.getCorrectValue, applied by SurveyJS to every text answer read through {name} (unless written {#name}):
    /// "true"/"false" in any case become booleans, text in quotes loses them, and number-like text becomes a number,
    /// except text with a leading zero such as "007" (zip codes, ids), which stays text.
    /// </summary>
    public static object? CorrectValue(object? value)
    {
        if (value is not string { Length: > 0 } s) return value;
        var lower = s.ToLowerInvariant();
        if (lower is "true" or "false") return lower == "true";
        if (s.Length > 1 && s[0] is '\'' or '"' && s[^1] is '\'' or '"') return s[1..^1];
        if (!IsNumber(s)) return s;
        if (s[0] == '0' && !s.StartsWith("0x", StringComparison.Ordinal) && s.Length > 1 && s[1] is not ('.' or ',')) return s;
        return GetNumber(s);
    }

    private static bool HasOperator(string s)
    {
        if (s.LastIndexOf('-') > 0 || s.LastIndexOf('+') > 0) return false;
        return s.IndexOfAny(['*', '^', '/', '%']) > -1;
    }
}
