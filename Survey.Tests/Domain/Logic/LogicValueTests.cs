using static Survey.Tests.Domain.Logic.Answers;

namespace Survey.Tests.Domain.Logic;

/// <summary>Built-in functions and how answers are read, as SurveyJS (functionsfactory.ts, conditionProcessValue.ts) does.</summary>
public class LogicValueTests
{
    [Theory]
    [InlineData("iif(true, 'a', 'b')", "{}", "a")]
    [InlineData("iif(0, 'a', 'b')", "{}", "b")]
    [InlineData("iif({q} notempty, {q}, 'none')", """{"q": "x"}""", "x")]
    [InlineData("iif(false, 'a')", "{}", null)]
    [InlineData("sum(1, 2, 3)", "{}", 6)]
    [InlineData("sum({a})", """{"a": [1, "2", null, 3]}""", 6)]
    [InlineData("sum({a}, {b})", "{}", 0)]
    [InlineData("sum(0.1, 0.2)", "{}", 0.3)]
    [InlineData("max(1, 5, 3)", "{}", 5)]
    [InlineData("min([4, 2], 3)", "{}", 2)]
    [InlineData("max({a})", "{}", null)]
    [InlineData("avg(1, 2, 3, 4)", "{}", 2.5)]
    [InlineData("avg({a})", "{}", 0)]
    [InlineData("count([1, null, 2], 3)", "{}", 3)]
    [InlineData("count({a})", """{"a": ["x", "y"]}""", 2)]
    [InlineData("round(2.5)", "{}", 3)]
    [InlineData("round(-0.5)", "{}", -1)]
    [InlineData("round(1.005, 2)", "{}", 1.01)]
    [InlineData("round(2.175, 2)", "{}", 2.18)]
    [InlineData("round(-2.175, 2)", "{}", -2.18)]
    [InlineData("round('x')", "{}", null)]
    [InlineData("trunc(1.99)", "{}", 1)]
    [InlineData("trunc(-1.99)", "{}", -1)]
    [InlineData("trunc(1.999, 2)", "{}", 1.99)]
    [InlineData("substring('hello', 1, 3)", "{}", "el")]
    [InlineData("substring('hello', 3)", "{}", "lo")]
    [InlineData("substring('hello', 3, 1)", "{}", "el")]
    [InlineData("substring({a}, 1)", "{}", "")]
    public void Functions(string expression, string answers, object? expected) =>
        Evaluate(expression, answers).ShouldBeValue(expected);

    [Fact]
    public void Evaluation_accepts_clr_and_json_values()
    {
        var values = new Dictionary<string, object?>
        {
            ["int"] = 5, ["long"] = 5L, ["double"] = 5.0, ["float"] = 5f, ["decimal"] = 5m, ["text"] = "5",
            ["choices"] = new[] { "a", "b" }, ["list"] = new List<object?> { 1, "x" },
            ["json"] = System.Text.Json.JsonDocument.Parse("""{"n": 5, "tags": ["a"], "ok": true}""").RootElement,
            ["date"] = new DateTime(2024, 5, 1), ["day"] = new DateOnly(2024, 5, 1), ["nan"] = double.NaN,
        };
        var expression = Parsed(
            "{int} = 5 and {long} = 5 and {double} = 5 and {float} = 5 and {decimal} = 5 and {text} = 5"
            + " and {choices} anyof ['b'] and {list} contains 1 and {list} contains 'X'"
            + " and {json.n} = 5 and {json.tags} contains 'a' and {json.ok} = true"
            + " and {date} = '2024-05-01' and {day} >= '2024-01-01' and {nan} empty");
        expression.IsTrue(values).ShouldBeTrue();
    }

    [Theory]
    [InlineData("{NPS} = 5", """{"nps": 5}""")]
    [InlineData("{customer.name} = 'Ann'", """{"customer.name": "Ann"}""")]
    [InlineData("{customer.name} = 'Ann'", """{"customer": {"name": "Ann"}}""")]
    [InlineData("{Customer.Name} = 'Ann'", """{"customer": {"name": "Ann"}}""")]
    [InlineData("{order.items[1].sku} = 'b'", """{"order": {"items": [{"sku": "a"}, {"sku": "b"}]}}""")]
    [InlineData("{q[1]} = 'b'", """{"q": ["a", "b"]}""")]
    [InlineData("{q[5]} empty", """{"q": ["a", "b"]}""")]
    [InlineData("{q.length} = 2", """{"q": ["a", "b"]}""")]
    [InlineData("{q.length} = 3", """{"q": "abc"}""")]
    [InlineData("{q.length} = 0", "{}")]
    [InlineData("{q-1} = 1 and {q_2} = 2 and {3q} = 3", """{"q-1": 1, "q_2": 2, "3q": 3}""")]
    [InlineData("{ spaced } = 1", """{"spaced": 1}""")]
    [InlineData("{q} = 'x'", """{"q": "'x'"}""")]
    [InlineData("{#q} = 'true' and {q} = true", """{"q": "true"}""")]
    public void Variables_resolve_like_surveyjs(string expression, string answers) =>
        Parsed(expression).IsTrue(Json(answers)).ShouldBeTrue();

    [Fact]
    public void Self_referencing_and_object_answers_are_read_safely()
    {
        var loop = new List<object?> { "x" };
        loop.Add(loop);
        loop.Add(loop);
        IDictionary<string, object?> expando = new System.Dynamic.ExpandoObject();
        expando["name"] = "Ann";
        var values = new Dictionary<string, object?> { ["loop"] = loop, ["customer"] = expando };
        Parsed("{loop} contains 'x' and {customer.name} = 'ann'").IsTrue(values).ShouldBeTrue();
    }
}
