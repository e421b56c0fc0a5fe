namespace Survey.Domain.Questionnaires.Logic;

public sealed record LogicParseResult(LogicExpression? Expression, IReadOnlyList<LogicError> Errors)
{
    public bool Succeeded => Expression is not null;
}

/// <param name="Position">0-based character offset into the expression text.</param>
/// <param name="Length">Characters covered; 0 for "at the end of the text".</param>
/// <param name="Code">One of <see cref="LogicErrorCodes"/>.</param>
public sealed record LogicError(int Position, int Length, string Code, string Message);

/// <summary>Stable machine codes of <see cref="LogicError"/>.</summary>
public static class LogicErrorCodes
{
    public const string EmptyExpression = "empty-expression";
    public const string UnexpectedToken = "unexpected-token";
    public const string UnexpectedCharacter = "unexpected-character";
    public const string UnterminatedString = "unterminated-string";
    public const string UnterminatedVariable = "unterminated-variable";
    public const string EmptyVariable = "empty-variable";
    public const string UnbalancedParenthesis = "unbalanced-parenthesis";
    public const string UnbalancedBracket = "unbalanced-bracket";
    public const string MissingOperand = "missing-operand";
    public const string UnknownFunction = "unknown-function";
    public const string WrongArgumentCount = "wrong-argument-count";
    public const string TooComplex = "too-complex";
    public const string InternalError = "internal-error";
}

internal sealed class ErrorSink
{
    private readonly List<LogicError> _errors = [];
    private readonly HashSet<(int, string)> _reported = [];

    public int Count => _errors.Count;

    /// <summary>Set once parsing is abandoned, so that unwinding does not add follow-up errors.</summary>
    public bool Closed { get; set; }

    public void Add(int position, int length, string code, string message)
    {
        if (!Closed && _reported.Add((position, code))) _errors.Add(new LogicError(position, length, code, message));
    }

    public void Add(in Token at, string code, string message) => Add(at.Position, at.Length, code, message);

    public IReadOnlyList<LogicError> ToSortedList() => _errors.OrderBy(e => e.Position).ToArray();
}
