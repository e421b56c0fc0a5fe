using System.Diagnostics.CodeAnalysis;
using static Survey.Domain.Questionnaires.Logic.JsValue;

namespace Survey.Domain.Questionnaires.Logic;

internal sealed record LogicFunction(string Name, int MinArguments, int MaxArguments, Func<object?[], object?> Invoke)
{
    public string DescribeArity() =>
        MaxArguments == int.MaxValue ? $"at least {MinArguments} argument{(MinArguments == 1 ? "" : "s")}"
        : MinArguments == MaxArguments ? $"{MinArguments} argument{(MinArguments == 1 ? "" : "s")}"
        : $"{MinArguments} to {MaxArguments} arguments";
}

/// <summary>
/// The pure built-in functions of SurveyJS's functionsfactory.ts, with the same argument handling. Names are
/// case-sensitive there too. Argument counts are checked when parsing (SurveyJS only returns null or NaN).
/// </summary>
internal static class Functions
{
    private const double JsEpsilon = 2.220446049250313E-16;

    private static readonly Dictionary<string, LogicFunction> Registry = new LogicFunction[]
    {
        new("iif", 2, 3, args => ToBoolean(args[0]) ? args[1] : args.ElementAtOrDefault(2)),
        new("sum", 1, int.MaxValue, Sum),
        new("min", 1, int.MaxValue, args => Extreme(args, pickLower: true)),
        new("max", 1, int.MaxValue, args => Extreme(args, pickLower: false)),
        new("avg", 1, int.MaxValue, args => Flatten(args) is { Count: > 0 } values ? ToNumber(Sum(args)) / values.Count : 0.0),
        new("count", 1, int.MaxValue, args => (double)Flatten(args).Count),
        new("round", 1, 2, Round),
        new("trunc", 1, 2, Trunc),
        new("substring", 2, 3, Substring),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    // SurveyJS built-ins that need a clock, the survey model or asynchronous callbacks.
    private static readonly HashSet<string> ClientOnly = new(StringComparer.Ordinal)
    {
        "age", "currentDate", "today", "year", "month", "day", "weekday", "getDate", "dateAdd", "dateDiff", "diffDays",
        "getYear", "currentYear", "isContainerReady", "isDisplayMode", "displayValue", "propertyValue", "getComment",
        "sumInArray", "minInArray", "maxInArray", "avgInArray", "countInArray",
    };

    public static bool TryGet(string name, [NotNullWhen(true)] out LogicFunction? function) => Registry.TryGetValue(name, out function);

    public static string DescribeUnknown(string name)
    {
        if (ClientOnly.Contains(name))
            return $"'{name}' is a SurveyJS function that needs the browser's clock or survey model; server-side logic does not support it.";
        var sameLetters = Registry.Keys.FirstOrDefault(known => known.Equals(name, StringComparison.OrdinalIgnoreCase));
        return sameLetters is not null
            ? $"Unknown function '{name}'. Function names are case-sensitive: did you mean '{sameLetters}'?"
            : $"Unknown function '{name}'. Available: {string.Join(", ", Registry.Keys)}.";
    }

    // getParamsAsArray: arrays are flattened, null/undefined skipped, number-like text turned into numbers.
    private static List<object?> Flatten(object?[] args)
    {
        var values = new List<object?>();
        Add(args);
        return values;

        void Add(object? value)
        {
            if (value is null) return;
            if (value is object?[] items)
                foreach (var item in items) Add(item);
            else values.Add(SurveyConversions.IsNumber(value) ? SurveyConversions.GetNumber(value) : value);
        }
    }

    private static object? Sum(object?[] args)
    {
        object? total = 0.0;
        foreach (var value in Flatten(args)) total = Operations.CorrectAfterPlusMinus(total, value, Plus(total, value));
        return total;
    }

    private static object? Extreme(object?[] args, bool pickLower)
    {
        var values = Flatten(args);
        if (values.Count == 0) return null;
        var result = values[0];
        foreach (var value in values)
            if (pickLower ? LessThan(value, result) : LessThan(result, value)) result = value;
        return result;
    }

    // Math.round(num * 10^precision * (1 + EPSILON)) / 10^precision, so halves round away from zero: round(-0.5) is -1.
    private static object? Round(object?[] args)
    {
        var values = Flatten(args);
        if (values.Count == 0) return double.NaN;
        var precision = values.Count > 1 && ToBoolean(values[1]) ? values[1] : 0.0;
        if (!SurveyConversions.IsNumber(values[0]) || !SurveyConversions.IsNumber(precision)) return double.NaN;
        var scale = Math.Pow(10, ToNumber(precision));
        var scaled = ToNumber(values[0]) * scale * (1 + JsEpsilon);
        var rounded = Math.Floor(scaled);
        if (scaled - rounded >= 0.5) rounded += 1;
        return rounded / scale;
    }

    // SurveyJS cuts the number's text with /^-?\d+(?:.\d{0,precision})?/; a precision that is not a whole
    // positive number (0, -1, 1.5) leaves only the integer part.
    private static object? Trunc(object?[] args)
    {
        var values = Flatten(args);
        if (values.Count == 0) return double.NaN;
        var precision = values.Count > 1 && ToBoolean(values[1]) ? values[1] : -1.0;
        if (!SurveyConversions.IsNumber(values[0]) || !SurveyConversions.IsNumber(precision)) return double.NaN;
        var text = ToJsString(values[0]);
        var end = text.StartsWith('-') ? 1 : 0;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        var places = ToJsString(precision);
        if (end < text.Length && places.All(char.IsAsciiDigit))
        {
            var limit = int.TryParse(places, out var p) ? p : int.MaxValue;
            var fractionEnd = end + 1;
            while (fractionEnd < text.Length && fractionEnd - end - 1 < limit && char.IsAsciiDigit(text[fractionEnd])) fractionEnd++;
            end = fractionEnd;
        }
        return JsNumber.Parse(text[..end]);
    }

    private static object? Substring(object?[] args)
    {
        if (args[0] is not string { Length: > 0 } text || !SurveyConversions.IsNumber(args[1])) return "";
        var start = Index(args[1]);
        var end = args.Length > 2 && SurveyConversions.IsNumber(args[2]) ? Index(args[2]) : text.Length;
        return start <= end ? text[start..end] : text[end..start];

        int Index(object? value)
        {
            var number = ToNumber(value);
            return double.IsNaN(number) ? 0 : (int)Math.Clamp(Math.Truncate(number), 0, text.Length);
        }
    }
}
