using System.Reflection;
using System.Text.Json;
using Survey.Domain.Questionnaires.Logic;

namespace Survey.Tests.Domain.Logic;

/// <summary>Answers written as JSON in test tables, turned into the CLR values callers pass: decimal, string, bool, lists, dictionaries, null.</summary>
internal static class Answers
{
    public static IReadOnlyDictionary<string, object?> Json(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value));

    public static IReadOnlyDictionary<string, object?> None { get; } = new Dictionary<string, object?>();

    public static LogicExpression Parsed(string text)
    {
        var result = LogicExpression.Parse(text);
        result.Errors.ShouldBeEmpty($"'{text}' should parse");
        return result.Expression.ShouldNotBeNull();
    }

    public static object? Evaluate(string text, string json = "{}") => Parsed(text).Evaluate(Json(json));

    /// <summary>Expected values from [InlineData]: ints and doubles stand for decimals.</summary>
    public static void ShouldBeValue(this object? actual, object? expected)
    {
        switch (expected)
        {
            case int or double:
                actual.ShouldBeOfType<decimal>().ShouldBe(Convert.ToDecimal(expected));
                break;
            case null:
                actual.ShouldBeNull();
                break;
            default:
                actual.ShouldBe(expected);
                break;
        }
    }

    /// <summary>Evaluation without the safety net of <see cref="LogicExpression.Evaluate"/>, so tests see any exception.</summary>
    public static object? EvaluateUnguarded(LogicExpression expression, IReadOnlyDictionary<string, object?> values)
    {
        var method = typeof(LogicExpression).GetMethod("EvaluateUnguarded", BindingFlags.NonPublic | BindingFlags.Instance);
        try
        {
            return method.ShouldNotBeNull().Invoke(expression, [values]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    private static object? ToClr(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Number => json.GetDecimal(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => json.EnumerateArray().Select(ToClr).ToList(),
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value)),
        _ => null,
    };
}
