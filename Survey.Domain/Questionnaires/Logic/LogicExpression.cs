using System.Runtime.CompilerServices;

namespace Survey.Domain.Questionnaires.Logic;

/// <summary>
/// A show-if / required-if expression in SurveyJS expression syntax, parsed once and evaluated on the server.
/// Evaluation follows survey-core's expressions.ts, helpers.ts and functionsfactory.ts (JavaScript semantics,
/// default comparator settings) so that the server agrees with what SurveyJS shows the respondent.
/// </summary>
public sealed class LogicExpression
{
    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();
    private readonly Node _root;

    private LogicExpression(string text, Node root)
    {
        Text = text;
        _root = root;
        Variables = VariableCollector.Collect(root);
    }

    public string Text { get; }

    /// <summary>Distinct names referenced in braces, in order of appearance, as written (trimmed, without the "#" no-conversion prefix).</summary>
    public IReadOnlyCollection<string> Variables { get; }

    /// <summary>Parses once. Never throws on bad input: returns either an expression or all errors found.</summary>
    public static LogicParseResult Parse(string text)
    {
        text ??= string.Empty;
        var errors = new ErrorSink();
        Node? root;
        try
        {
            root = Parser.Parse(text, errors);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Safety net only: the parser reports problems as errors and guards its own recursion depth.
            errors.Add(0, text.Length, LogicErrorCodes.InternalError, "The expression could not be parsed.");
            root = null;
        }
        return errors.Count > 0 || root is null
            ? new LogicParseResult(null, errors.ToSortedList())
            : new LogicParseResult(new LogicExpression(text, root), []);
    }

    /// <summary>
    /// Evaluates against answers; a missing key, null, "" or an empty list means "not answered".
    /// Numbers come back as decimal, lists as <see cref="IReadOnlyList{T}"/>; NaN and infinities come back as null.
    /// </summary>
    public object? Evaluate(IReadOnlyDictionary<string, object?> values) => ClrValues.ToPublic(EvaluateGuarded(values));

    /// <summary>SurveyJS's condition result: <c>result == true</c> with JavaScript loose equality (true, 1, "1" are true).</summary>
    public bool IsTrue(IReadOnlyDictionary<string, object?> values) => JsValue.LooseEqualsTrue(EvaluateGuarded(values));

    public override string ToString() => Text;

    private object? EvaluateGuarded(IReadOnlyDictionary<string, object?>? values)
    {
        try
        {
            return EvaluateUnguarded(values);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Safety net only: evaluation has JavaScript semantics (NaN instead of errors) and a bounded depth.
            return null;
        }
    }

    // Separate from the guard so that tests can call it (by reflection) and see any exception the guard would hide.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private object? EvaluateUnguarded(IReadOnlyDictionary<string, object?>? values) =>
        Evaluator.Evaluate(_root, new VariableScope(values ?? NoValues));
}
