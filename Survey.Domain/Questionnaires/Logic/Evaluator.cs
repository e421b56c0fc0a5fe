using System.Runtime.CompilerServices;

namespace Survey.Domain.Questionnaires.Logic;

/// <summary>
/// Walks the tree like SurveyJS's Operand.evaluate: both sides of every operator are evaluated (there is no
/// short-circuit, which is unobservable as nothing has side effects) and nothing throws; invalid arithmetic gives NaN.
/// </summary>
internal static class Evaluator
{
    public static object? Evaluate(Node node, VariableScope scope)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return node switch
        {
            ConstantNode constant => constant.Value,
            VariableNode variable => scope.Get(variable.Name, variable.KeepRawValue),
            ArrayNode array => EvaluateAll(array.Items, scope),
            UnaryNode unary => Unary(unary.Operator, Evaluate(unary.Operand, scope)),
            BinaryNode binary => Operations.Binary(binary.Operator, Evaluate(binary.Left, scope), Evaluate(binary.Right, scope)),
            FunctionNode call => call.Function.Invoke(EvaluateAll(call.Arguments, scope)),
            _ => null,
        };
    }

    private static object?[] EvaluateAll(IReadOnlyList<Node> nodes, VariableScope scope)
    {
        var values = new object?[nodes.Count];
        for (var i = 0; i < values.Length; i++) values[i] = Evaluate(nodes[i], scope);
        return values;
    }

    private static bool Unary(UnaryOperator op, object? value) => op switch
    {
        UnaryOperator.Empty => JsValue.IsEmpty(value),
        UnaryOperator.NotEmpty => !JsValue.IsEmpty(value),
        _ => !JsValue.ToBoolean(value),
    };
}
