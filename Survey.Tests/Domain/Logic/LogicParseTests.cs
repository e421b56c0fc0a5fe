using Survey.Domain.Questionnaires.Logic;
using static Survey.Tests.Domain.Logic.Answers;

namespace Survey.Tests.Domain.Logic;

public class LogicParseTests
{
    [Theory]
    [InlineData("", "empty-expression", 0, 0)]
    [InlineData("   ", "empty-expression", 0, 3)]
    [InlineData("{a} =", "missing-operand", 4, 1)]
    [InlineData("= 1", "missing-operand", 0, 1)]
    [InlineData("{a} and", "missing-operand", 4, 3)]
    [InlineData("{a} = 1 or", "missing-operand", 8, 2)]
    [InlineData("{a} contains", "missing-operand", 4, 8)]
    [InlineData("!", "missing-operand", 0, 1)]
    [InlineData("not", "missing-operand", 0, 3)]
    [InlineData("()", "missing-operand", 1, 1)]
    [InlineData("- {a}", "missing-operand", 0, 1)]
    [InlineData("empty", "missing-operand", 0, 5)]
    [InlineData("{a} = and {b}", "missing-operand", 4, 1)]
    [InlineData("[1, ]", "missing-operand", 4, 1)]
    [InlineData("({a} = 1", "unbalanced-parenthesis", 0, 1)]
    [InlineData("{a} = 1)", "unbalanced-parenthesis", 7, 1)]
    [InlineData("iif(1, 2, 3", "unbalanced-parenthesis", 3, 1)]
    [InlineData("[1, 2", "unbalanced-bracket", 0, 1)]
    [InlineData("{a} anyof [1, 2]]", "unbalanced-bracket", 16, 1)]
    [InlineData("'abc", "unterminated-string", 0, 4)]
    [InlineData("{a} = \"abc", "unterminated-string", 6, 4)]
    [InlineData("{a} = 'it\\'s", "unterminated-string", 6, 6)]
    [InlineData("{abc", "unterminated-variable", 0, 4)]
    [InlineData("{a = 1", "unterminated-variable", 0, 6)]
    [InlineData("{}", "empty-variable", 0, 2)]
    [InlineData("{ } = 1", "empty-variable", 0, 3)]
    [InlineData("{a} {b}", "unexpected-token", 4, 3)]
    [InlineData("{a} = 1 adn {b} = 2", "unexpected-token", 8, 3)]
    [InlineData("({a}) empty", "unexpected-token", 6, 5)]
    [InlineData("[1] empty", "unexpected-token", 4, 5)]
    [InlineData("sum(1) notempty", "unexpected-token", 7, 8)]
    [InlineData("iif ({a}, 1, 2)", "unexpected-token", 4, 1)]
    [InlineData("{a} = 1, 2", "unexpected-token", 7, 1)]
    [InlineData("{a} # 1", "unexpected-character", 4, 1)]
    [InlineData("{a} | {b}", "unexpected-character", 4, 1)]
    [InlineData("1.", "unexpected-character", 1, 1)]
    [InlineData("{a} = café", "unexpected-character", 9, 1)]
    [InlineData("foo({a})", "unknown-function", 0, 3)]
    [InlineData("IIF(1, 2, 3)", "unknown-function", 0, 3)]
    [InlineData("{a} > today()", "unknown-function", 6, 5)]
    [InlineData("negate(true)", "unknown-function", 0, 6)]
    [InlineData("iif(1)", "wrong-argument-count", 0, 6)]
    [InlineData("round(1, 2, 3)", "wrong-argument-count", 0, 14)]
    [InlineData("{a} = sum()", "wrong-argument-count", 6, 5)]
    public void Reports_the_problem_with_its_position(string expression, string code, int position, int length)
    {
        var result = LogicExpression.Parse(expression);
        result.Succeeded.ShouldBeFalse();
        result.Expression.ShouldBeNull();
        result.Errors.ShouldContain(e => e.Code == code && e.Position == position && e.Length == length,
            string.Join("; ", result.Errors.Select(e => $"{e.Code}@{e.Position}+{e.Length}: {e.Message}")));
        result.Errors.ShouldAllBe(e => !string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData("{a} = 1 adn {b} = 2", 1)]
    [InlineData("{a} | {b}", 1)]
    [InlineData("{a} {b}", 1)]
    [InlineData("{a} = = 1", 1)]
    [InlineData("foo(1) = 'x' and {b} = (2", 2)]
    [InlineData("(1 + ) * iif(1) = 'abc", 3)]
    [InlineData("{a} = 1 and {b} = 'x' and {c} > ", 1)]
    public void Reports_every_problem_without_follow_up_noise(string expression, int count) =>
        LogicExpression.Parse(expression).Errors.Count.ShouldBe(count);

    [Fact]
    public void Reports_all_problems_in_text_order()
    {
        var errors = LogicExpression.Parse("(1 + ) * iif(1) = 'abc").Errors;
        errors.Select(e => (e.Code, e.Position)).ShouldBe([
            ("missing-operand", 3),
            ("wrong-argument-count", 9),
            ("unterminated-string", 18),
        ]);
    }

    [Fact]
    public void Rejects_nesting_that_could_exhaust_the_stack()
    {
        var deep = new string('(', 500) + "1" + new string(')', 500);
        var errors = LogicExpression.Parse(deep).Errors;
        errors.ShouldHaveSingleItem().Code.ShouldBe("too-complex");

        var negations = new string('!', 10_000) + "true";
        LogicExpression.Parse(negations).Errors.ShouldHaveSingleItem().Code.ShouldBe("too-complex");

        var chain = string.Join(" + ", Enumerable.Repeat("1", 5_000));
        LogicExpression.Parse(chain).Errors.ShouldHaveSingleItem().Code.ShouldBe("too-complex");
    }

    [Fact]
    public void Accepts_reasonable_nesting_and_long_chains()
    {
        Evaluate(new string('(', 40) + "1" + new string(')', 40)).ShouldBe(1m);
        var choices = string.Join(" or ", Enumerable.Range(1, 300).Select(i => $"{{q}} = {i}"));
        Parsed(choices).IsTrue(Json("""{"q": 300}""")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("{nps} >= 9 and {visit_type} = 'repair'", "nps", "visit_type")]
    [InlineData("{customer.name} = {q-1} or {Q_2} > 3", "customer.name", "q-1", "Q_2")]
    [InlineData("{a} = 1 or {a} = 2 or {A} = 3", "a", "A")]
    [InlineData("iif({a} > 1, {b}, [{c}, sum({d}, 1)])", "a", "b", "c", "d")]
    [InlineData("{#raw} = 'x' and { spaced } = 1", "raw", "spaced")]
    [InlineData("{order.items[0].sku} = 'x' and {q.length} > 1", "order.items[0].sku", "q.length")]
    [InlineData("!({x} empty) and 'literal {not} a variable' = 'x'", "x")]
    [InlineData("1 = 1")]
    public void Variables_lists_each_reference_once_in_order(string expression, params string[] expected) =>
        Parsed(expression).Variables.ShouldBe(expected);

    [Fact]
    public void Text_is_kept_as_given()
    {
        var expression = Parsed("  {nps}   <= 6 ");
        expression.Text.ShouldBe("  {nps}   <= 6 ");
        expression.ToString().ShouldBe(expression.Text);
    }

    [Fact]
    public void Null_text_is_an_empty_expression() =>
        LogicExpression.Parse(null!).Errors.ShouldHaveSingleItem().Code.ShouldBe("empty-expression");

    [Theory]
    [InlineData("{q} = \"it's\"", "it's")]
    [InlineData("{q} = 'it\\'s'", "it's")]
    [InlineData("{q} = 'say \\\"hi\\\"'", "say \"hi\"")]
    [InlineData("{q} = 'back\\slash'", "back\\slash")]
    [InlineData("{q} = 'has {braces} and (parens)'", "has {braces} and (parens)")]
    public void String_literals_and_their_escapes(string expression, string answer) =>
        Parsed(expression).IsTrue(new Dictionary<string, object?> { ["q"] = answer }).ShouldBeTrue();
}
