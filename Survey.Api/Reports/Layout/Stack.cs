using SkiaSharp;

namespace Survey.Api.Reports.Layout;

/// <summary>Children one under another; splits between children, or inside the child that crosses the page end.</summary>
public sealed class Column(IReadOnlyList<Element> children, float spacing = 0) : Element
{
    public IReadOnlyList<Element> Children { get; } = children;

    public override float Measure(LayoutContext context, float width)
    {
        var height = 0f;
        for (var i = 0; i < Children.Count; i++) height += Children[i].Measure(context, width) + (i > 0 ? spacing : 0);
        return height;
    }

    public override void Draw(DrawContext context, SKRect area)
    {
        var y = area.Top;
        foreach (var child in Children)
        {
            var h = child.Measure(new LayoutContext(context.Fonts), area.Width);
            child.Draw(context, new SKRect(area.Left, y, area.Right, y + h));
            y += h + spacing;
        }
    }

    public override (Element Head, Element Tail)? Split(LayoutContext context, float width, float height)
    {
        var used = 0f;
        for (var i = 0; i < Children.Count; i++)
        {
            var gap = i > 0 ? spacing : 0;
            var h = Children[i].Measure(context, width);
            if (used + gap + h <= height) { used += gap + h; continue; }
            var part = Children[i].Split(context, width, height - used - gap);
            if (part is { } p)
                return (new Column([.. Children.Take(i), p.Head], spacing), new Column([p.Tail, .. Children.Skip(i + 1)], spacing));
            // a heading stays with what follows it
            var cut = i;
            while (cut > 0 && Children[cut - 1] is KeepWithNext) cut--;
            if (cut == 0) return null;
            return (new Column([.. Children.Take(cut)], spacing), new Column([.. Children.Skip(cut)], spacing));
        }
        return null;
    }
}

/// <summary>Children side by side, widths in proportion to their weights; as tall as the tallest child.</summary>
public sealed class Row : Element
{
    private readonly (Element Child, float Weight)[] cells;
    private readonly float spacing;

    public Row(float spacing, params (Element Child, float Weight)[] cells)
    {
        this.cells = cells;
        this.spacing = spacing;
    }

    public Row(float spacing, IEnumerable<Element> children) : this(spacing, children.Select(c => (c, 1f)).ToArray()) { }

    private IEnumerable<(Element Child, float Left, float Width)> Layout(float width)
    {
        var total = cells.Sum(c => c.Weight);
        var free = width - spacing * (cells.Length - 1);
        var x = 0f;
        foreach (var (child, weight) in cells)
        {
            var w = free * weight / total;
            yield return (child, x, w);
            x += w + spacing;
        }
    }

    public override float Measure(LayoutContext context, float width) =>
        Layout(width).Select(c => c.Child.Measure(context, c.Width)).DefaultIfEmpty(0).Max();

    public override void Draw(DrawContext context, SKRect area)
    {
        foreach (var (child, left, w) in Layout(area.Width))
            child.Draw(context, new SKRect(area.Left + left, area.Top, area.Left + left + w, area.Bottom));
    }
}

/// <summary>An element (a heading) that a page break never separates from the element after it in a column.</summary>
public sealed class KeepWithNext(Element child) : Element
{
    public override float Measure(LayoutContext context, float width) => child.Measure(context, width);
    public override void Draw(DrawContext context, SKRect area) => child.Draw(context, area);
}
