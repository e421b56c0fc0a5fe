namespace Survey.Domain.Questionnaires.Logic;

internal enum BinaryOperator
{
    Or, And,
    Equal, NotEqual, Less, Greater, LessOrEqual, GreaterOrEqual,
    Plus, Minus, Multiply, Divide, Modulo, Power,
    Contains, NotContains, AnyOf, AllOf, NoneOf,
}

internal enum UnaryOperator { Not, Empty, NotEmpty }

/// <summary>Operator spellings and precedence of SurveyJS's grammar.pegjs.</summary>
internal static class Syntax
{
    private static readonly Dictionary<string, BinaryOperator> SymbolOperators = new(StringComparer.Ordinal)
    {
        ["||"] = BinaryOperator.Or, ["&&"] = BinaryOperator.And,
        ["="] = BinaryOperator.Equal, ["=="] = BinaryOperator.Equal,
        ["!="] = BinaryOperator.NotEqual, ["<>"] = BinaryOperator.NotEqual,
        ["<"] = BinaryOperator.Less, [">"] = BinaryOperator.Greater,
        ["<="] = BinaryOperator.LessOrEqual, ["=<"] = BinaryOperator.LessOrEqual,
        [">="] = BinaryOperator.GreaterOrEqual, ["=>"] = BinaryOperator.GreaterOrEqual,
        ["+"] = BinaryOperator.Plus, ["-"] = BinaryOperator.Minus,
        ["*"] = BinaryOperator.Multiply, ["/"] = BinaryOperator.Divide, ["%"] = BinaryOperator.Modulo,
        ["^"] = BinaryOperator.Power, ["*="] = BinaryOperator.Contains,
    };

    // Word operators are case-insensitive in SurveyJS ("and"i). "equals"/"notequals" come from patchExpression.
    private static readonly Dictionary<string, BinaryOperator> WordOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["or"] = BinaryOperator.Or, ["and"] = BinaryOperator.And,
        ["equal"] = BinaryOperator.Equal, ["equals"] = BinaryOperator.Equal,
        ["notequal"] = BinaryOperator.NotEqual, ["notequals"] = BinaryOperator.NotEqual,
        ["less"] = BinaryOperator.Less, ["greater"] = BinaryOperator.Greater,
        ["lessorequal"] = BinaryOperator.LessOrEqual, ["greaterorequal"] = BinaryOperator.GreaterOrEqual,
        ["power"] = BinaryOperator.Power,
        ["contains"] = BinaryOperator.Contains, ["contain"] = BinaryOperator.Contains,
        ["notcontains"] = BinaryOperator.NotContains, ["notcontain"] = BinaryOperator.NotContains,
        ["anyof"] = BinaryOperator.AnyOf, ["allof"] = BinaryOperator.AllOf, ["noneof"] = BinaryOperator.NoneOf,
    };

    /// <summary>
    /// Lowest to highest: or, and, comparison, + -, * / %, ^, contains/anyof/allof/noneof. All are left-associative
    /// ("2 ^ 3 ^ 2" is 64; "1 < 2 < 3" compares "true < 3"). The binary functions binding tighter than arithmetic is
    /// SurveyJS's grammar, not a typo: "{a} + {b} anyof [1]" is "{a} + ({b} anyof [1])".
    /// </summary>
    public static int Precedence(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => 1,
        BinaryOperator.And => 2,
        BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Less or BinaryOperator.Greater
            or BinaryOperator.LessOrEqual or BinaryOperator.GreaterOrEqual => 3,
        BinaryOperator.Plus or BinaryOperator.Minus => 4,
        BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo => 5,
        BinaryOperator.Power => 6,
        _ => 7,
    };

    public static bool TryGetBinary(in Token token, out BinaryOperator op)
    {
        op = default;
        return token.Kind switch
        {
            TokenKind.Operator => SymbolOperators.TryGetValue(token.Text, out op),
            TokenKind.Word => WordOperators.TryGetValue(token.Text, out op),
            _ => false,
        };
    }

    public static bool TryGetPostfix(in Token token, out UnaryOperator op)
    {
        op = UnaryOperator.Empty;
        if (token.Kind != TokenKind.Word) return false;
        if (token.Text.Equals("empty", StringComparison.OrdinalIgnoreCase)) return true;
        op = UnaryOperator.NotEmpty;
        return token.Text.Equals("notempty", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// "!" and "negate" are SurveyJS's negation. "not" is our extension: SurveyJS reads it as a bare string
    /// (or, in "not(", as a call of an unknown function), so SurveyJS cannot run expressions that use it.
    /// </summary>
    public static bool IsPrefixNot(in Token token, bool followedByCall) =>
        (token.Kind == TokenKind.Operator && token.Text == "!")
        || (token.Kind == TokenKind.Word && token.Text.Equals("not", StringComparison.OrdinalIgnoreCase))
        || (token.Kind == TokenKind.Word && !followedByCall && token.Text.Equals("negate", StringComparison.OrdinalIgnoreCase));

    public static bool IsOperatorWord(in Token token) => TryGetBinary(token, out _) || TryGetPostfix(token, out _);
}
