using static Survey.Tests.Domain.Logic.Answers;

namespace Survey.Tests.Domain.Logic;

/// <summary>Typical survey logic, and what the public API returns.</summary>
public class LogicExpressionTests
{
    [Theory]
    [InlineData("{nps} <= 6", """{"nps": 5}""", true)]
    [InlineData("{nps} <= 6", """{"nps": 7}""", false)]
    [InlineData("{nps} <= 6", "{}", false)]
    [InlineData("{nps} >= 9 and {visit_type} = 'repair'", """{"nps": 9, "visit_type": "repair"}""", true)]
    [InlineData("{nps} >= 9 and {visit_type} = 'repair'", """{"nps": 10, "visit_type": " Repair "}""", true)]
    [InlineData("{nps} >= 9 and {visit_type} = 'repair'", """{"nps": 10, "visit_type": "install"}""", false)]
    [InlineData("{nps} >= 9 and {visit_type} = 'repair'", """{"visit_type": "repair"}""", false)]
    [InlineData("{issues} anyof ['wait', 'price']", """{"issues": ["price", "staff"]}""", true)]
    [InlineData("{issues} anyof ['wait', 'price']", """{"issues": ["staff"]}""", false)]
    [InlineData("{issues} anyof ['wait', 'price']", "{}", false)]
    [InlineData("{comment} notempty", """{"comment": "slow"}""", true)]
    [InlineData("{comment} notempty", """{"comment": ""}""", false)]
    [InlineData("{comment} notempty", "{}", false)]
    [InlineData("not ({csat} > 3)", """{"csat": 2}""", true)]
    [InlineData("not ({csat} > 3)", """{"csat": 4}""", false)]
    [InlineData("not ({csat} > 3)", "{}", true)]
    [InlineData("iif({nps} > 8, 'promoter', 'other') = 'promoter'", """{"nps": 9}""", true)]
    [InlineData("iif({nps} > 8, 'promoter', 'other') = 'promoter'", """{"nps": 8}""", false)]
    public void Typical_expressions(string expression, string answers, bool expected) =>
        Parsed(expression).IsTrue(Json(answers)).ShouldBe(expected);

    [Theory]
    [InlineData("1", true)]
    [InlineData("2", false)]
    [InlineData("'1'", true)]
    [InlineData("'yes'", false)]
    [InlineData("[1]", true)]
    [InlineData("null", false)]
    [InlineData("{missing}", false)]
    [InlineData("1 / 0", false)]
    public void IsTrue_is_javascript_loose_equality_with_true(string expression, bool expected) =>
        Parsed(expression).IsTrue(None).ShouldBe(expected);

    [Fact]
    public void Results_are_decimal_string_bool_list_or_null()
    {
        var list = Evaluate("[1, 'a', true, null, [2.5]]").ShouldBeAssignableTo<IReadOnlyList<object?>>()!;
        list.Take(4).ShouldBe([1m, "a", true, null]);
        list[4].ShouldBeAssignableTo<IReadOnlyList<object?>>().ShouldBe([2.5m]);
        Evaluate("{a} + ['c']", """{"a": ["a", "b"]}""").ShouldBeAssignableTo<IReadOnlyList<object?>>().ShouldBe(["a", "b", "c"]);
        Evaluate("1 / 3").ShouldBe(0.3333333333333333m);
        Evaluate("2 ^ 0.5").ShouldBe(1.4142135623730951m);
        Evaluate("10 ^ 40").ShouldBeNull();
        Evaluate("'x'").ShouldBe("x");
    }

    [Fact]
    public void Bare_words_are_text_as_in_surveyjs() =>
        Parsed("{q} = yes and {r} = true").IsTrue(Json("""{"q": "Yes", "r": "TRUE"}""")).ShouldBeTrue();

    [Fact]
    public void Null_values_dictionary_is_treated_as_no_answers() =>
        Parsed("{q} empty").IsTrue(null!).ShouldBeTrue();
}
