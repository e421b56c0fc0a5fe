using System.Globalization;
using System.Text;
using static Survey.Domain.Questionnaires.Logic.LogicErrorCodes;

namespace Survey.Domain.Questionnaires.Logic;

internal enum TokenKind { Number, String, Variable, Word, Operator, LeftParen, RightParen, LeftBracket, RightBracket, Comma, End }

/// <param name="Text">The token as written in the source.</param>
/// <param name="Value">A number's double, a string's unescaped text, a variable's <see cref="VariableRef"/>.</param>
internal readonly record struct Token(TokenKind Kind, int Position, int Length, string Text, object? Value = null)
{
    public int End => Position + Length;
}

internal sealed record VariableRef(string Name, bool KeepRawValue);

internal static class Tokenizer
{
    // Longest first. "=>", "=<" and "<>" are the aliases SurveyJS's ConditionsParser.patchExpression rewrites.
    private static readonly string[] Symbols = ["||", "&&", "==", "!=", "<>", "<=", ">=", "=>", "=<", "*=", "=", "<", ">", "+", "-", "*", "/", "%", "^", "!"];

    public static List<Token> Tokenize(string text, ErrorSink errors)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsWhitespace(c))
            {
                i++;
                continue;
            }
            switch (c)
            {
                case '(': tokens.Add(new(TokenKind.LeftParen, i++, 1, "(")); break;
                case ')': tokens.Add(new(TokenKind.RightParen, i++, 1, ")")); break;
                case '[': tokens.Add(new(TokenKind.LeftBracket, i++, 1, "[")); break;
                case ']': tokens.Add(new(TokenKind.RightBracket, i++, 1, "]")); break;
                case ',': tokens.Add(new(TokenKind.Comma, i++, 1, ",")); break;
                case '\'' or '"': i = ReadString(text, i, tokens, errors); break;
                case '{': i = ReadVariable(text, i, tokens, errors); break;
                default:
                    if (char.IsAsciiDigit(c)) i = ReadNumber(text, i, tokens);
                    else if (IsWordStart(c)) i = ReadWord(text, i, tokens);
                    else if (MatchSymbol(text, i) is { } symbol)
                    {
                        tokens.Add(new(TokenKind.Operator, i, symbol.Length, symbol));
                        i += symbol.Length;
                    }
                    else if (c is '|' or '&')
                    {
                        // A single '|' or '&' is not SurveyJS syntax; report it but read on as '||' / '&&'.
                        var word = c == '|' ? "or" : "and";
                        errors.Add(i, 1, UnexpectedCharacter, $"Unexpected character '{c}'. Use '{c}{c}' or '{word}'.");
                        tokens.Add(new(TokenKind.Operator, i++, 1, c == '|' ? "||" : "&&"));
                    }
                    else i = ReadUnexpected(text, i, errors);
                    break;
            }
        }
        tokens.Add(new(TokenKind.End, text.Length, 0, ""));
        return tokens;
    }

    // SurveyJS's grammar only skips these four; any other character (e.g. a non-breaking space) is a syntax error there.
    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';

    // SurveyJS identifiers (LettersAndDigits) are ASCII: [a-zA-Z_] followed by letters, digits and underscores.
    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWordPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string? MatchSymbol(string text, int at)
    {
        foreach (var symbol in Symbols)
            if (text.AsSpan(at).StartsWith(symbol, StringComparison.Ordinal)) return symbol;
        return null;
    }

    // Like SurveyJS, only \' and \" are escapes; any other backslash stays as written. Unlike SurveyJS, the other
    // quote character may appear unescaped ('say "hi"'), which SurveyJS rejects as a syntax error.
    private static int ReadString(string text, int start, List<Token> tokens, ErrorSink errors)
    {
        var quote = text[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '\'' or '"')
            {
                value.Append(text[i + 1]);
                i += 2;
            }
            else value.Append(text[i++]);
        }
        if (i < text.Length) i++;
        else errors.Add(start, text.Length - start, UnterminatedString, $"The string starting with {quote} is never closed.");
        tokens.Add(new(TokenKind.String, start, i - start, text[start..i], value.ToString()));
        return i;
    }

    private static int ReadVariable(string text, int start, List<Token> tokens, ErrorSink errors)
    {
        var i = start + 1;
        while (i < text.Length && text[i] is not ('}' or '{')) i++;
        var closed = i < text.Length && text[i] == '}';
        var inner = text[(start + 1)..i].Trim();
        if (closed) i++;
        else errors.Add(start, i - start, UnterminatedVariable, "'{' is never closed by '}'.");
        // "{#name}" tells SurveyJS not to convert "true"/"123"-like text answers; the name itself excludes '#'.
        var keepRaw = inner.Length > 1 && inner[0] == '#';
        var name = keepRaw ? inner[1..].TrimStart() : inner;
        if (name.Length == 0 && closed) errors.Add(start, i - start, EmptyVariable, "'{}' does not name a question or variable.");
        tokens.Add(new(TokenKind.Variable, start, i - start, text[start..i], new VariableRef(name, keepRaw)));
        return i;
    }

    // SurveyJS number literals: digits with an optional fraction ("1.5"; not "1." or ".5"), and "0x" followed by
    // decimal digits that are read as hexadecimal ("0x10" is 16). A leading '-' is the parser's business.
    private static int ReadNumber(string text, int start, List<Token> tokens)
    {
        double value;
        var i = start;
        if (text[i] == '0' && i + 2 < text.Length && text[i + 1] == 'x' && char.IsAsciiDigit(text[i + 2]))
        {
            value = 0;
            for (i += 2; i < text.Length && char.IsAsciiDigit(text[i]); i++) value = value * 16 + (text[i] - '0');
        }
        else
        {
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                for (i++; i < text.Length && char.IsAsciiDigit(text[i]); i++) { }
            value = double.Parse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }
        tokens.Add(new(TokenKind.Number, start, i - start, text[start..i], value));
        return i;
    }

    private static int ReadWord(string text, int start, List<Token> tokens)
    {
        var i = start + 1;
        while (i < text.Length && IsWordPart(text[i])) i++;
        tokens.Add(new(TokenKind.Word, start, i - start, text[start..i]));
        return i;
    }

    private static int ReadUnexpected(string text, int start, ErrorSink errors)
    {
        var i = start + 1;
        while (i < text.Length && !IsWhitespace(text[i]) && !StartsToken(text, i)) i++;
        var run = text[start..i];
        var hint = run.StartsWith('}') ? " It has no matching '{'." : "";
        errors.Add(start, i - start, UnexpectedCharacter, $"Unexpected character '{run}'.{hint}");
        return i;
    }

    private static bool StartsToken(string text, int i) =>
        text[i] is '(' or ')' or '[' or ']' or ',' or '\'' or '"' or '{' or '|' or '&'
        || char.IsAsciiDigit(text[i]) || IsWordStart(text[i]) || MatchSymbol(text, i) is not null;
}
