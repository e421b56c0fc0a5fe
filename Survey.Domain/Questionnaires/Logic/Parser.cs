using System.Runtime.CompilerServices;
using static Survey.Domain.Questionnaires.Logic.LogicErrorCodes;

namespace Survey.Domain.Questionnaires.Logic;

/// <summary>
/// Recursive descent over SurveyJS's grammar.pegjs, with precedence climbing for the binary operators.
/// It keeps going after an error so that one pass reports every problem it reasonably can.
/// Where SurveyJS is lenient about something that is almost certainly a typo (a missing ')' or ']', an operator
/// without its right operand), this parser reports an error: rejecting at authoring time never makes the
/// server disagree with the respondent's screen.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxNesting = 64;
    private const int MaxTreeDepth = 1000;

    [Flags]
    private enum Stop { None = 0, RightParen = 1, RightBracket = 2, Comma = 4 }

    private readonly List<Token> _tokens;
    private readonly ErrorSink _errors;
    private int _index;
    private int _nesting;

    private Parser(List<Token> tokens, ErrorSink errors)
    {
        _tokens = tokens;
        _errors = errors;
    }

    public static Node? Parse(string text, ErrorSink errors)
    {
        var tokens = Tokenizer.Tokenize(text, errors);
        if (tokens.Count == 1)
        {
            if (errors.Count == 0) errors.Add(0, text.Length, EmptyExpression, "The expression is empty.");
            return null;
        }
        var root = new Parser(tokens, errors).ParseExpression(Stop.None);
        if (root.Depth > MaxTreeDepth)
            errors.Add(0, text.Length, TooComplex, $"The expression chains more than {MaxTreeDepth} operations; split it up.");
        return root;
    }

    private Token Current => _tokens[_index];

    private Token Next => _tokens[Math.Min(_index + 1, _tokens.Count - 1)];

    private bool Aborted => _errors.Closed;

    private Token Advance()
    {
        var token = Current;
        if (_index < _tokens.Count - 1) _index++;
        return token;
    }

    private Node ParseExpression(Stop stop)
    {
        var node = ParseBinary(1, ParseOperand(null));
        while (!Aborted && Current.Kind != TokenKind.End && !IsStop(Current, stop))
        {
            ReportStray(Current, stop);
            Advance();
            // Resume after the stray token: a new operand starts an expression of its own, an operator continues this one.
            if (CanStartOperand()) ParseBinary(1, ParseOperand(null));
            else node = ParseBinary(1, node);
        }
        return node;
    }

    private Node ParseBinary(int minPrecedence, Node left)
    {
        while (!Aborted && Syntax.TryGetBinary(Current, out var op) && Syntax.Precedence(op) >= minPrecedence)
        {
            var opToken = Advance();
            var right = ParseOperand(opToken);
            while (!Aborted && Syntax.TryGetBinary(Current, out var next) && Syntax.Precedence(next) > Syntax.Precedence(op))
                right = ParseBinary(Syntax.Precedence(op) + 1, right);
            left = new BinaryNode(op, left, right);
        }
        return left;
    }

    /// <summary>SurveyJS's Factor: a group, a call, an array, a negation, or an atom with an optional "empty"/"notempty".</summary>
    private Node ParseOperand(Token? after)
    {
        if (Aborted) return ErrorNode.Instance;
        var token = Current;
        // As in SurveyJS, a name directly followed by '(' is a call: "iif(" is, "iif (" is not.
        var isCall = token.Kind == TokenKind.Word && Next.Kind == TokenKind.LeftParen && Next.Position == token.End;
        if (Syntax.IsPrefixNot(token, isCall)) return Nested(ParseNot);
        switch (token.Kind)
        {
            case TokenKind.Number or TokenKind.String:
                Advance();
                return Postfix(new ConstantNode(token.Value));
            case TokenKind.Variable:
                Advance();
                var variable = (VariableRef)token.Value!;
                return Postfix(new VariableNode(variable.Name, variable.KeepRawValue));
            case TokenKind.LeftParen:
                return Nested(ParseGroup);
            case TokenKind.LeftBracket:
                return Nested(ParseArray);
            case TokenKind.Operator when IsNegativeNumber():
                Advance();
                return Postfix(new ConstantNode(-(double)Advance().Value!));
            case TokenKind.Word when isCall:
                return Nested(ParseCall);
            case TokenKind.Word when !Syntax.IsOperatorWord(token):
                Advance();
                return Postfix(new ConstantNode(WordValue(token.Text)));
        }
        return ReportMissingOperand(after);
    }

    // SurveyJS: true/false in any case; null/undefined only in lower case; any other bare word is a string constant,
    // so "{q} = yes" compares with 'yes' (and "nps > 6" compares the text 'nps').
    private static object? WordValue(string word) =>
        word.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
        : word.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
        : word is "null" or "undefined" ? null
        : word;

    // A '-' directly before digits is part of the number, as in SurveyJS; there is no unary minus on anything else.
    private bool IsNegativeNumber() =>
        Current is { Kind: TokenKind.Operator, Text: "-" } minus
        && Next.Kind == TokenKind.Number && Next.Position == minus.End && !Next.Text.StartsWith("0x", StringComparison.Ordinal);

    // SurveyJS allows "empty"/"notempty" only right after an atom: "{q} empty", not "({q}) empty" or "f() empty".
    private Node Postfix(Node atom)
    {
        if (!Syntax.TryGetPostfix(Current, out var op)) return atom;
        Advance();
        return new UnaryNode(op, atom);
    }

    private Node Nested(Func<Node> parse)
    {
        if (_nesting >= MaxNesting || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _errors.Add(Current, TooComplex, $"The expression nests parentheses, brackets, calls or negations more than {MaxNesting} deep.");
            _errors.Closed = true;
            _index = _tokens.Count - 1;
            return ErrorNode.Instance;
        }
        _nesting++;
        try
        {
            return parse();
        }
        finally
        {
            _nesting--;
        }
    }

    private Node ParseNot()
    {
        var op = Advance();
        return new UnaryNode(UnaryOperator.Not, ParseOperand(op));
    }

    private Node ParseGroup()
    {
        var open = Advance();
        var inner = ParseExpression(Stop.RightParen);
        Close(open, TokenKind.RightParen);
        return inner;
    }

    private Node ParseArray() => new ArrayNode(ParseList(Advance(), TokenKind.RightBracket));

    private Node ParseCall()
    {
        var name = Advance();
        var arguments = ParseList(Advance(), TokenKind.RightParen);
        var span = _tokens[Math.Max(_index - 1, 0)].End - name.Position;
        if (!Functions.TryGet(name.Text, out var function))
        {
            _errors.Add(name, UnknownFunction, Functions.DescribeUnknown(name.Text));
            return ErrorNode.Instance;
        }
        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            _errors.Add(name.Position, span, WrongArgumentCount, $"'{name.Text}' takes {function.DescribeArity()}, not {arguments.Count}.");
            return ErrorNode.Instance;
        }
        return new FunctionNode(function, arguments);
    }

    private List<Node> ParseList(Token open, TokenKind closer)
    {
        var items = new List<Node>();
        if (Current.Kind == closer)
        {
            Advance();
            return items;
        }
        var stop = Stop.Comma | (closer == TokenKind.RightParen ? Stop.RightParen : Stop.RightBracket);
        while (true)
        {
            items.Add(ParseExpression(stop));
            if (Aborted || Current.Kind != TokenKind.Comma) break;
            Advance();
        }
        Close(open, closer);
        return items;
    }
}
