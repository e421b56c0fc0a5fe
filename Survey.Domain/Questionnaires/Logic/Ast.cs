using System.Collections.ObjectModel;

namespace Survey.Domain.Questionnaires.Logic;

/// <param name="Depth">Height of the tree below and including this node; bounded by the parser so evaluation cannot overflow the stack.</param>
internal abstract record Node(int Depth)
{
    protected static int Deepest(IReadOnlyList<Node> nodes) => nodes.Count == 0 ? 0 : nodes.Max(n => n.Depth);
}

/// <param name="Value">null, bool, double or string.</param>
internal sealed record ConstantNode(object? Value) : Node(1);

internal sealed record VariableNode(string Name, bool KeepRawValue) : Node(1);

internal sealed record ArrayNode(IReadOnlyList<Node> Items) : Node(Deepest(Items) + 1);

internal sealed record UnaryNode(UnaryOperator Operator, Node Operand) : Node(Operand.Depth + 1);

internal sealed record BinaryNode(BinaryOperator Operator, Node Left, Node Right) : Node(Math.Max(Left.Depth, Right.Depth) + 1);

internal sealed record FunctionNode(LogicFunction Function, IReadOnlyList<Node> Arguments) : Node(Deepest(Arguments) + 1);

/// <summary>Stands in for a part that failed to parse; an expression containing one is never handed out.</summary>
internal sealed record ErrorNode() : Node(1)
{
    public static readonly ErrorNode Instance = new();
}

internal static class VariableCollector
{
    public static IReadOnlyCollection<string> Collect(Node root)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Visit(root);
        return new ReadOnlyCollection<string>(names);

        void Visit(Node node)
        {
            switch (node)
            {
                case VariableNode v when seen.Add(v.Name): names.Add(v.Name); break;
                case ArrayNode a: foreach (var item in a.Items) Visit(item); break;
                case UnaryNode u: Visit(u.Operand); break;
                case BinaryNode b: Visit(b.Left); Visit(b.Right); break;
                case FunctionNode f: foreach (var argument in f.Arguments) Visit(argument); break;
            }
        }
    }
}
