using System.Globalization;
using static Survey.Domain.Questionnaires.Logic.JsValue;

namespace Survey.Domain.Questionnaires.Logic;

/// <summary>SurveyJS's OperandMaker.binaryFunctions (expressions.ts), operator by operator.</summary>
internal static class Operations
{
    public static object? Binary(BinaryOperator op, object? left, object? right) => op switch
    {
        BinaryOperator.Equal => SurveyEquals(left, right),
        BinaryOperator.NotEqual => !SurveyEquals(left, right),
        // Comparing with an unanswered (null) value is false, so "{nps} <= 6" is false until nps is answered.
        BinaryOperator.Less => left is not null && right is not null && LessThan(left, right),
        BinaryOperator.Greater => left is not null && right is not null && LessThan(right, left),
        BinaryOperator.LessOrEqual => SurveyEquals(left, right) || (left is not null && right is not null && LessThan(left, right)),
        BinaryOperator.GreaterOrEqual => SurveyEquals(left, right) || (left is not null && right is not null && LessThan(right, left)),
        BinaryOperator.Contains => ContainsCore(left, right, isContains: true),
        BinaryOperator.NotContains => (!ToBoolean(left) && !IsEmpty(right)) || ContainsCore(left, right, isContains: false),
        BinaryOperator.AnyOf => AnyOf(left, right),
        BinaryOperator.NoneOf => !AnyOf(left, right),
        BinaryOperator.AllOf => AllOf(left, right),
        _ => Arithmetic(op, left, right),
    };

    /// <summary>OperandMaker.isTwoValueEquals: the text 'undefined' stands for an unanswered value.</summary>
    public static bool SurveyEquals(object? x, object? y) =>
        ValuesEqual(x is "undefined" ? null : x, y is "undefined" ? null : y);

    /// <summary>Helpers.correctAfterPlusMinis: rounds away binary noise to the operands' decimal places (0.1 + 0.2 = 0.3).</summary>
    public static object? CorrectAfterPlusMinus(object? a, object? b, object? result) =>
        FixDecimals(result, Math.Max(CountDecimals(a), CountDecimals(b)));

    // and, or, + - * / % ^ are SurveyJS "arithmetic" operands: an empty side is first replaced by 0, "" or [],
    // whichever suits the other side (arithmeticOp's convertForArithmeticOp). So "{a} + 1" is 1 while a is unanswered.
    private static object? Arithmetic(BinaryOperator op, object? a, object? b)
    {
        a = EmptyToNeutral(a, b);
        b = EmptyToNeutral(b, a);
        return op switch
        {
            // JavaScript && and ||: the deciding operand, not necessarily a bool.
            BinaryOperator.Or => ToBoolean(a) ? a : b,
            BinaryOperator.And => ToBoolean(a) ? b : a,
            BinaryOperator.Plus => SumAnyValues(a, b),
            BinaryOperator.Minus => CorrectAfterPlusMinus(a, b, ToNumber(a) - ToNumber(b)),
            BinaryOperator.Multiply => FixDecimals(ToNumber(a) * ToNumber(b), CountDecimals(a) + CountDecimals(b)),
            // SurveyJS returns null rather than Infinity/NaN when dividing by 0 (or any falsy divisor).
            BinaryOperator.Divide => ToBoolean(b) ? ToNumber(a) / ToNumber(b) : null,
            BinaryOperator.Modulo => ToBoolean(b) ? ToNumber(a) % ToNumber(b) : null,
            BinaryOperator.Power => Power(ToNumber(a), ToNumber(b)),
            _ => null,
        };
    }

    private static object? EmptyToNeutral(object? value, object? other)
    {
        if (!IsEmpty(value)) return value;
        if (other is double) return 0.0;
        if (value is string) return value;
        if (other is string) return "";
        if (other is object?[]) return Array.Empty<object?>();
        return 0.0;
    }

    /// <summary>Helpers.sumAnyValues: numbers add, text concatenates, arrays concatenate or sum their numbers.</summary>
    private static object? SumAnyValues(object? a, object? b)
    {
        if (!SurveyConversions.IsNumber(a) || !SurveyConversions.IsNumber(b))
        {
            if (a is object?[] left && b is object?[] right) return left.Concat(right).ToArray();
            if (a is object?[] || b is object?[])
            {
                var arrayFirst = a is object?[];
                var items = (object?[])(arrayFirst ? a : b)!;
                var other = arrayFirst ? b : a;
                if (other is string text) return arrayFirst ? Join(items, ", ") + text : text + Join(items, ", ");
                if (other is double number)
                {
                    object? sum = 0.0;
                    foreach (var item in items.OfType<double>()) sum = CorrectAfterPlusMinus(sum, item, Plus(sum, item));
                    return CorrectAfterPlusMinus(sum, number, Plus(sum, number));
                }
            }
            return Plus(a, b);
        }
        return a is string || b is string ? Plus(a, b) : CorrectAfterPlusMinus(a, b, Plus(a, b));
    }

    // Math.pow, which differs from .NET's Math.Pow only for (+-1) ^ (+-Infinity) and x ^ NaN.
    private static double Power(double x, double y) =>
        double.IsNaN(y) || (Math.Abs(x) == 1 && double.IsInfinity(y)) ? double.NaN : Math.Pow(x, y);

    private static int CountDecimals(object? value)
    {
        if (!SurveyConversions.IsNumber(value) || (value is double d && Math.Floor(d) == d)) return 0;
        var parts = ToJsString(value).Split('.');
        return parts.Length > 1 ? parts[1].Length : 0;
    }

    // parseFloat(result.toFixed(digits)), done on the shortest decimal form of the double.
    private static object? FixDecimals(object? result, int digits)
    {
        if (digits <= 0 || result is not double value || !double.IsFinite(value)
            || !decimal.TryParse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
            return result;
        var rounded = Math.Round(exact, Math.Min(digits, 28), MidpointRounding.AwayFromZero);
        return double.Parse(rounded.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// OperandMaker containsCore: text contains text (case-insensitive); an array contains an item (or, given an
    /// array, every item of it) by <see cref="SurveyEquals"/>; numbers and booleans are searched as text.
    /// </summary>
    private static bool ContainsCore(object? left, object? right, bool isContains)
    {
        if (left is null or "" || left is double.NaN) return false;
        if (left is not object?[] { Length: > 0 } and not string) left = ToJsString(left);
        if (left is string text)
        {
            if (!ToBoolean(right)) return false;
            var found = text.ToLowerInvariant().Contains(ToJsString(right).ToLowerInvariant(), StringComparison.Ordinal);
            return isContains ? found : !found;
        }
        var items = (object?[])left;
        foreach (var wanted in right as object?[] ?? [right])
            if (!items.Any(item => SurveyEquals(item, wanted))) return !isContains;
        return isContains;
    }

    private static bool AnyOf(object? left, object? right)
    {
        if (IsEmpty(left) && IsEmpty(right)) return true;
        if (IsEmpty(left)) return false;
        if (IsEmpty(right)) return true;
        if (left is not object?[]) return ContainsCore(right, left, isContains: true);
        if (right is not object?[] wanted) return ContainsCore(left, right, isContains: true);
        return wanted.Any(item => ContainsCore(left, item, isContains: true));
    }

    private static bool AllOf(object? left, object? right)
    {
        if (!ToBoolean(left) && !IsEmpty(right)) return false;
        if (right is not object?[] wanted) return ContainsCore(left, right, isContains: true);
        return wanted.All(item => ContainsCore(left, item, isContains: true));
    }
}
