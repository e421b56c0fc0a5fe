using System.Globalization;
using System.Text.Json;
using Survey.Domain.Questionnaires.Logic;

namespace Survey.Tests.Domain.Logic;

/// <summary>
/// The table of cases that the browser's evaluator (Survey.Widgets/src/logic.js, tested by Survey.Widgets/test/logic.test.js)
/// must also pass, so that show-if and required-if logic gives the same answer on the respondent's screen and on the server.
/// Each case is {expression, values, expected} (the result of Evaluate, with NaN and infinities as null), or
/// {expression, error: true} for text that must not parse.
/// </summary>
public class SharedCasesTests
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "logic", "shared-cases.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToArray();
    });

    public static TheoryData<int, string> All()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < Cases.Value.Length; i++) data.Add(i, Cases.Value[i].GetProperty("expression").GetString()!);
        return data;
    }

    [Fact]
    public void The_table_covers_at_least_150_cases_and_every_operator_and_function()
    {
        Cases.Value.Length.ShouldBeGreaterThanOrEqualTo(150);
        var text = string.Join("\n", Cases.Value.Select(c => c.GetProperty("expression").GetString()!.ToLowerInvariant()));
        string[] spellings =
        [
            " or ", " and ", "||", "&&", " = ", "==", "!=", "<>", " < ", " > ", "<=", ">=", "=>", "=<", " + ", " - ", " * ", " / ", " % ", " ^ ",
            " power ", " contains ", " contain ", "*=", " notcontains ", " notcontain ", " anyof ", " allof ", " noneof ", " empty", " notempty",
            "!", "not", "negate", " equal ", " equals ", " notequal ", " notequals ", " less ", " greater ", " lessorequal ", " greaterorequal ",
            "iif(", "sum(", "min(", "max(", "avg(", "count(", "round(", "trunc(", "substring(", "{#",
        ];
        spellings.Where(s => !text.Contains(s, StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Case(int index, string expression)
    {
        var c = Cases.Value[index];
        var parsed = LogicExpression.Parse(expression);
        if (c.TryGetProperty("error", out var error) && error.GetBoolean())
        {
            parsed.Succeeded.ShouldBeFalse($"'{expression}' should not parse");
            return;
        }
        parsed.Errors.ShouldBeEmpty($"'{expression}' should parse");
        var values = Answers.Json(c.GetProperty("values").GetRawText());
        var expected = c.GetProperty("expected");
        var actual = parsed.Expression!.Evaluate(values);
        ShouldMatch(actual, expected, expression);
        parsed.Expression.IsTrue(values).ShouldBe(LooselyTrue(expected), $"IsTrue of '{expression}'");
    }

    private static void ShouldMatch(object? actual, JsonElement expected, string context)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                actual.ShouldBeNull(context);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                actual.ShouldBe(expected.GetBoolean(), context);
                break;
            case JsonValueKind.Number:
                actual.ShouldBeOfType<decimal>(context).ShouldBe(expected.GetDecimal(), context);
                break;
            case JsonValueKind.String:
                actual.ShouldBe(expected.GetString(), context);
                break;
            case JsonValueKind.Array:
                var items = actual.ShouldBeAssignableTo<IReadOnlyList<object?>>(context)!;
                var wanted = expected.EnumerateArray().ToArray();
                items.Count.ShouldBe(wanted.Length, context);
                for (var i = 0; i < wanted.Length; i++) ShouldMatch(items[i], wanted[i], $"{context} [{i}]");
                break;
            default:
                var map = actual.ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>(context)!;
                var properties = expected.EnumerateObject().ToArray();
                map.Count.ShouldBe(properties.Length, context);
                foreach (var p in properties) ShouldMatch(map.GetValueOrDefault(p.Name), p.Value, $"{context} .{p.Name}");
                break;
        }
    }

    // JavaScript's "value == true", which both evaluators use for conditions.
    private static bool LooselyTrue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => value.GetDecimal() == 1,
        JsonValueKind.String => decimal.TryParse(value.GetString()!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n == 1,
        JsonValueKind.Array => value.GetArrayLength() == 1 && LooselyTrue(value[0]),
        _ => false,
    };
}
