using static Survey.Domain.Questionnaires.Logic.LogicErrorCodes;

namespace Survey.Domain.Questionnaires.Logic;

/// <summary>Error reporting and recovery of <see cref="Parser"/>.</summary>
internal sealed partial class Parser
{
    // SurveyJS's grammar makes the closing ')' of groups and calls optional; a missing one is reported here.
    private void Close(Token open, TokenKind closer)
    {
        if (Current.Kind == closer) Advance();
        else if (closer == TokenKind.RightParen) _errors.Add(open, UnbalancedParenthesis, "'(' is never closed.");
        else _errors.Add(open, UnbalancedBracket, "'[' is never closed.");
    }

    private Node ReportMissingOperand(Token? after)
    {
        var token = Current;
        if (after is { } op)
            _errors.Add(op, MissingOperand, $"'{op.Text}' is missing its {(Syntax.IsPrefixNot(op, false) ? "" : "right ")}operand.");
        else if (Syntax.IsOperatorWord(token) || token.Kind == TokenKind.Operator)
            _errors.Add(token, MissingOperand, $"'{token.Text}' is missing its left operand."
                + (token.Text == "-" ? " SurveyJS has no unary minus: write a number such as -5, or 0 - {x}." : ""));
        else if (token.Kind == TokenKind.End)
            _errors.Add(token.Position, 0, MissingOperand, "Expected a value, but the expression ends here.");
        else
            _errors.Add(token, MissingOperand, $"Expected a value but found '{Show(token)}'.");
        return ErrorNode.Instance;
    }

    private void ReportStray(Token token, Stop stop)
    {
        var expected = stop switch
        {
            Stop.None => "an operator or the end of the expression",
            Stop.RightParen => "an operator or ')'",
            _ when stop.HasFlag(Stop.RightParen) => "an operator, ',' or ')'",
            _ => "an operator, ',' or ']'",
        };
        switch (token.Kind)
        {
            case TokenKind.RightParen:
                _errors.Add(token, UnbalancedParenthesis, "')' has no matching '('.");
                break;
            case TokenKind.RightBracket:
                _errors.Add(token, UnbalancedBracket, "']' has no matching '['.");
                break;
            case TokenKind.Comma:
                _errors.Add(token, UnexpectedToken, "',' can only separate function arguments or array items.");
                break;
            default:
                var hint = Syntax.TryGetPostfix(token, out _)
                    ? " SurveyJS allows 'empty'/'notempty' only right after a value or a {variable}, not after ')' or a function call."
                    : token.Kind == TokenKind.LeftParen && _index > 0 && _tokens[_index - 1].Kind == TokenKind.Word
                        ? $" A function call has no space before '(': write '{_tokens[_index - 1].Text}('."
                        : "";
                _errors.Add(token, UnexpectedToken, $"Unexpected '{Show(token)}'; expected {expected}.{hint}");
                break;
        }
    }

    private bool CanStartOperand() => Current.Kind switch
    {
        TokenKind.Number or TokenKind.String or TokenKind.Variable or TokenKind.LeftParen or TokenKind.LeftBracket => true,
        TokenKind.Operator => Current.Text == "!" || IsNegativeNumber(),
        TokenKind.Word => !Syntax.IsOperatorWord(Current),
        _ => false,
    };

    private static bool IsStop(in Token token, Stop stop) => token.Kind switch
    {
        TokenKind.RightParen => stop.HasFlag(Stop.RightParen),
        TokenKind.RightBracket => stop.HasFlag(Stop.RightBracket),
        TokenKind.Comma => stop.HasFlag(Stop.Comma),
        _ => false,
    };

    private static string Show(in Token token) => token.Text.Length <= 40 ? token.Text : token.Text[..37] + "...";
}
