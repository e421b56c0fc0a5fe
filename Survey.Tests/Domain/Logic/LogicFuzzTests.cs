using System.Text;
using Survey.Domain.Questionnaires.Logic;

namespace Survey.Tests.Domain.Logic;

public class LogicFuzzTests
{
    private static readonly string[] Fragments =
    [
        "{a}", "{b}", "{c.d}", "{e[0]}", "{a.length}", "{#a}", "{", "}", "(", ")", "[", "]", ",", " ", " ", " ",
        "'x'", "'", "\"y\"", "\"", "\\", "1", "0", "-1", "2.5", "0x1", "1.", "true", "null", "abc",
        "and", "or", "&&", "||", "not", "!", "negate", "=", "==", "!=", "<>", "<", ">", "<=", ">=", "=>",
        "+", "-", "*", "/", "%", "^", "power", "*=", "empty", "notempty", "contains", "notcontains",
        "anyof", "allof", "noneof", "iif(", "sum(", "round(", "substring(", "foo(", "|", "&", "#", "é", "\u00a0",
    ];

    private static readonly IReadOnlyDictionary<string, object?>[] AnswerSets =
    [
        new Dictionary<string, object?>(),
        new Dictionary<string, object?> { ["a"] = 1m, ["b"] = "2", ["c.d"] = true, ["e"] = new[] { "x", "y" } },
        new Dictionary<string, object?> { ["a"] = "", ["b"] = new List<object?> { null, 1, "x", new[] { 1 } }, ["c"] = new Dictionary<string, object?> { ["d"] = 0 }, ["e"] = double.NaN },
        new Dictionary<string, object?> { ["a"] = "abc", ["b"] = double.PositiveInfinity, ["c"] = new Dictionary<string, object?> { ["d"] = new object() }, ["e"] = long.MaxValue },
    ];

    private static readonly HashSet<string> Codes = typeof(LogicErrorCodes).GetFields()
        .Select(f => (string)f.GetValue(null)!).Where(c => c != LogicErrorCodes.InternalError).ToHashSet();

    [Fact]
    public void Random_fragments_never_throw_and_errors_point_into_the_text()
    {
        var random = new Random(20240501);
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(1, 14); n > 0; n--) text.Append(Fragments[random.Next(Fragments.Length)]);
            if (Check(text.ToString())) parsed++;
        }
        parsed.ShouldBeGreaterThan(500, "the fuzzer should also produce expressions that parse and get evaluated");
    }

    [Fact]
    public void Random_characters_never_throw()
    {
        const string alphabet = "{}()[]'\",!=<>+-*/%^ ab1.#|&\\";
        var random = new Random(42);
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var j = 0; j < chars.Length; j++)
                chars[j] = random.Next(4) == 0 ? (char)random.Next(0, 0xFFFF) : alphabet[random.Next(alphabet.Length)];
            Check(new string(chars));
        }
    }

    private static bool Check(string text)
    {
        var result = LogicExpression.Parse(text);
        if (!result.Succeeded)
        {
            result.Errors.ShouldNotBeEmpty(text);
            foreach (var error in result.Errors)
            {
                Codes.ShouldContain(error.Code, text);
                error.Position.ShouldBeInRange(0, text.Length, text);
                (error.Position + error.Length).ShouldBeLessThanOrEqualTo(text.Length, text);
                error.Length.ShouldBeGreaterThanOrEqualTo(0, text);
            }
            return false;
        }
        result.Errors.ShouldBeEmpty(text);
        foreach (var answers in AnswerSets)
        {
            Answers.EvaluateUnguarded(result.Expression!, answers);
            result.Expression!.Evaluate(answers);
            result.Expression.IsTrue(answers);
        }
        return true;
    }
}
