using SkiaSharp;

namespace Survey.Api.Reports.Layout;

public sealed record TableColumn(string Header, float Weight = 1, Align Align = Align.Left);

/// <summary>One row: a text per column, optional colours per cell and a link target for the whole row.</summary>
public sealed record TableRow(IReadOnlyList<string> Cells, IReadOnlyList<uint?>? Colors = null, string? Link = null, bool Bold = false);

/// <summary>A table whose rows wrap their text; across pages it splits between rows and repeats its header on every page.</summary>
public sealed class Table(IReadOnlyList<TableColumn> columns, IReadOnlyList<TableRow> rows, TextStyle? style = null) : Element
{
    private const float PadX = 4, PadY = 3;
    private readonly TextStyle body = style ?? new TextStyle(8);
    private TextStyle Head => body with { Bold = true, Color = 0xFF475467 };
    public IReadOnlyList<TableRow> Rows { get; } = rows;

    private float[] Widths(float width)
    {
        var total = columns.Sum(c => c.Weight);
        return columns.Select(c => width * c.Weight / total).ToArray();
    }

    private float RowHeight(LayoutContext context, IReadOnlyList<string> cells, float[] widths, TextStyle style)
    {
        var h = 0f;
        for (var i = 0; i < columns.Count; i++)
        {
            var text = i < cells.Count ? cells[i] : "";
            h = Math.Max(h, Text.Wrap(context.Fonts, text, style, widths[i] - 2 * PadX).Count * style.Size * style.LineHeight);
        }
        return h + 2 * PadY;
    }

    public override float Measure(LayoutContext context, float width)
    {
        var widths = Widths(width);
        return RowHeight(context, columns.Select(c => c.Header).ToList(), widths, Head)
               + Rows.Sum(r => RowHeight(context, r.Cells, widths, RowStyle(r)));
    }

    private TextStyle RowStyle(TableRow row) => row.Bold ? body with { Bold = true } : body;

    public override (Element Head, Element Tail)? Split(LayoutContext context, float width, float height)
    {
        var widths = Widths(width);
        var used = RowHeight(context, columns.Select(c => c.Header).ToList(), widths, Head);
        var fit = 0;
        while (fit < Rows.Count)
        {
            var h = RowHeight(context, Rows[fit].Cells, widths, RowStyle(Rows[fit]));
            if (used + h > height) break;
            used += h;
            fit++;
        }
        if (fit == 0 || fit == Rows.Count) return null;
        return (new Table(columns, Rows.Take(fit).ToList(), body), new Table(columns, Rows.Skip(fit).ToList(), body));
    }

    public override void Draw(DrawContext context, SKRect area)
    {
        var layout = new LayoutContext(context.Fonts);
        var widths = Widths(area.Width);
        var canvas = context.Canvas;
        var y = area.Top;
        using var line = new SKPaint { Color = new SKColor(0xFFE4E7EC), StrokeWidth = 0.5f, IsAntialias = true };
        using var headFill = new SKPaint { Color = new SKColor(0xFFF2F4F7), Style = SKPaintStyle.Fill };
        using var zebra = new SKPaint { Color = new SKColor(0xFFFAFAFB), Style = SKPaintStyle.Fill };

        var headers = columns.Select(c => c.Header).ToList();
        var headHeight = RowHeight(layout, headers, widths, Head);
        canvas.DrawRect(new SKRect(area.Left, y, area.Right, y + headHeight), headFill);
        DrawCells(context, headers, null, widths, area.Left, y, headHeight, Head);
        y += headHeight;

        for (var r = 0; r < Rows.Count; r++)
        {
            var row = Rows[r];
            var h = RowHeight(layout, row.Cells, widths, RowStyle(row));
            var rect = new SKRect(area.Left, y, area.Right, y + h);
            if (r % 2 == 1) canvas.DrawRect(rect, zebra);
            DrawCells(context, row.Cells, row.Colors, widths, area.Left, y, h, RowStyle(row));
            canvas.DrawLine(area.Left, y + h, area.Right, y + h, line);
            if (row.Link is { } link) canvas.DrawLinkDestinationAnnotation(rect, link);
            y += h;
        }
    }

    private void DrawCells(DrawContext context, IReadOnlyList<string> cells, IReadOnlyList<uint?>? colors, float[] widths, float left, float top, float height, TextStyle style)
    {
        var x = left;
        for (var i = 0; i < columns.Count; i++)
        {
            var cellStyle = style with { Align = columns[i].Align };
            if (colors is not null && i < colors.Count && colors[i] is { } color) cellStyle = cellStyle with { Color = color };
            var text = new Text(i < cells.Count ? cells[i] : "", cellStyle);
            text.Draw(context, new SKRect(x + PadX, top + PadY, x + widths[i] - PadX, top + height - PadY));
            x += widths[i];
        }
    }
}
