using System.Globalization;

namespace Survey.Domain.Questionnaires.Logic;

/// <summary>
/// JavaScript number text handling. Values are doubles inside the evaluator, as in JavaScript, so that
/// arithmetic, NaN and rounding behave as in SurveyJS; they become decimal only at the public boundary.
/// </summary>
internal static class JsNumber
{
    /// <summary>Number(text): whole text, surrounding whitespace ignored, "" is 0, anything else invalid is NaN.</summary>
    public static double Parse(string text)
    {
        var s = Trim(text);
        if (s.Length == 0) return 0;
        if (s.Length > 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'x' or 'o' or 'b')
            return ParseRadix(s.AsSpan(2), char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, _ => 2 }, wholeText: true);
        var unsigned = s.TrimStart('+').TrimStart('-');
        if (unsigned == "Infinity" && s.Length - unsigned.Length <= 1)
            return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        return ScanDecimal(s, 0) == s.Length ? double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : double.NaN;
    }

    /// <summary>parseFloat(text): the longest decimal prefix after leading whitespace, NaN if there is none.</summary>
    public static double ParseFloatPrefix(string text)
    {
        var s = TrimStart(text);
        var unsigned = s.StartsWith('+') || s.StartsWith('-') ? s[1..] : s;
        if (unsigned.StartsWith("Infinity", StringComparison.Ordinal))
            return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        var end = ScanDecimal(s, 0);
        return end < 0 ? double.NaN : double.Parse(s.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>parseInt of text that starts with "0x": the longest run of hex digits after it, NaN if there is none.</summary>
    public static double ParseHexPrefix(string text) => ParseRadix(text.AsSpan(2), 16, wholeText: false);

    /// <summary>Number.prototype.toString(): shortest round-trip digits, exponent form outside 1e-7 .. 1e21.</summary>
    public static string ToString(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (value == 0) return "0";
        if (double.IsInfinity(value)) return value > 0 ? "Infinity" : "-Infinity";
        if (value < 0) return "-" + ToString(-value);
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E');
        var exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? r : r[..e];
        var dot = mantissa.IndexOf('.');
        var integer = dot < 0 ? mantissa : mantissa[..dot];
        var digits = (integer + (dot < 0 ? "" : mantissa[(dot + 1)..])).TrimEnd('0');
        var n = integer.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits[leadingZeros..];
        n -= leadingZeros;
        var k = digits.Length;
        if (k <= n && n <= 21) return digits + new string('0', n - k);
        if (0 < n && n <= 21) return digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return "0." + new string('0', -n) + digits;
        var exp = n - 1;
        var sign = exp < 0 ? "-" : "+";
        return (k == 1 ? digits : digits[0] + "." + digits[1..]) + "e" + sign + Math.Abs(exp);
    }

    public static string Trim(string text) => TrimStart(text).TrimEnd().TrimEnd('\uFEFF');

    private static string TrimStart(string text) => text.TrimStart().TrimStart('\uFEFF').TrimStart();

    /// <summary>End of the longest [+-]digits[.digits][e[+-]digits] (or [+-].digits...) at <paramref name="start"/>, -1 if none.</summary>
    private static int ScanDecimal(string s, int start)
    {
        var i = start;
        if (i < s.Length && s[i] is '+' or '-') i++;
        var digits = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++) digits++;
        if (i < s.Length && s[i] == '.')
        {
            var afterDot = i + 1;
            var fraction = 0;
            for (var j = afterDot; j < s.Length && char.IsAsciiDigit(s[j]); j++) fraction++;
            if (digits + fraction > 0) i = afterDot + fraction;
            digits += fraction;
        }
        if (digits == 0) return -1;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < s.Length && s[j] is '+' or '-') j++;
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                i = j;
            }
        }
        return i;
    }

    private static double ParseRadix(ReadOnlySpan<char> digits, int radix, bool wholeText)
    {
        double value = 0;
        var count = 0;
        foreach (var c in digits)
        {
            var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : int.MaxValue;
            if (d >= radix)
            {
                if (wholeText) return double.NaN;
                break;
            }
            value = value * radix + d;
            count++;
        }
        return count == 0 ? double.NaN : value;
    }
}
